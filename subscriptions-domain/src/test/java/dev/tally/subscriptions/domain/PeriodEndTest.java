package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.FREE;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.onApril;
import static dev.tally.subscriptions.domain.TestPlans.request;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.subscriptions.SubscriptionState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduler's period.ended, applied once per period: revert, pending change, or renewal. */
class PeriodEndTest {
    private static final Instant JUNE_1 = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void aPeriodEndWithNothingPendingRenewsAtThePriceOfTheVersionInForce() {
        var outcome = onApril(PRO, MONTH).endPeriod(MAY_1, PRO);
        assertEquals(PeriodEndOutcome.Kind.RENEWED, outcome.kind());
        assertEquals(new BillingPeriod(MAY_1, JUNE_1), outcome.subscription().period());
        assertEquals(List.of(new ChargeLine(ChargeLine.Kind.RENEWAL, "pro v1 (monthly) renewal", new BillingPeriod(MAY_1, JUNE_1),
                usd(3000))), outcome.charges());
        assertEquals(usd(3000), outcome.settlement().paid());
        assertEquals(8, outcome.subscription().revision());
    }

    @Test
    void aRepeatedOrStalePeriodEndIsANoOp() {
        var renewed = onApril(PRO, MONTH).endPeriod(MAY_1, PRO).subscription();
        var repeat = renewed.endPeriod(MAY_1, PRO);
        assertEquals(PeriodEndOutcome.Kind.IGNORED, repeat.kind());
        assertSame(renewed, repeat.subscription());
        assertTrue(repeat.charges().isEmpty());
        assertTrue(renewed.endPeriod(JUNE_1.plusSeconds(1), PRO).ignored());
    }

    @Test
    void renewalsAnchoredOnThe31stEndOnThe31stAgainAfterFebruary2028() {
        Instant jan31 = Instant.parse("2028-01-31T09:00:00Z");
        var s = new Subscription(UUID.randomUUID(), "acct-1", "plus", 1, MONTH, SubscriptionState.Status.ACTIVE, jan31,
                PeriodCalendar.firstPeriod(jan31, MONTH), false, null, CustomerBalance.empty("USD"), 0);
        assertEquals(Instant.parse("2028-02-29T09:00:00Z"), s.period().end());
        var march = s.endPeriod(s.period().end(), PLUS).subscription();
        assertEquals(Instant.parse("2028-03-31T09:00:00Z"), march.period().end());
        var april = march.endPeriod(march.period().end(), PLUS).subscription();
        assertEquals(Instant.parse("2028-04-30T09:00:00Z"), april.period().end());
    }

    @Test
    void thePendingChangeAppliesAtThePeriodEndAndBillsTheNewPlan() {
        var pending = onApril(PRO, MONTH).change(request(PRO, MONTH, PLUS, YEAR, null), APRIL_16).subscription();
        assertEquals(PeriodEndOutcome.Kind.CHANGED, pending.atPeriodEnd());
        var outcome = pending.endPeriod(MAY_1, PLUS);
        assertEquals(PeriodEndOutcome.Kind.CHANGED, outcome.kind());
        assertEquals(pending.pending(), outcome.appliedChange());
        var after = outcome.subscription();
        assertEquals("plus", after.planCode());
        assertEquals(YEAR, after.interval());
        assertEquals(new BillingPeriod(MAY_1, Instant.parse("2027-05-01T00:00:00Z")), after.period());
        assertTrue(after.pending().isEmpty());
        assertEquals(usd(10000), outcome.charged());
    }

    @Test
    void aCancellationRevertsToTheFreePlanAtThePeriodEndWithNoFurtherCharge() {
        var cancelled = onApril(PRO, MONTH).cancelAtPeriodEnd(PRO);
        assertEquals(PeriodEndOutcome.Kind.REVERTED_TO_FREE, cancelled.atPeriodEnd());
        var outcome = cancelled.endPeriod(MAY_1, FREE);
        assertEquals(PeriodEndOutcome.Kind.REVERTED_TO_FREE, outcome.kind());
        assertEquals("free", outcome.subscription().planCode());
        assertEquals(new BillingPeriod(MAY_1, JUNE_1), outcome.subscription().period());
        assertTrue(outcome.charges().isEmpty());
        assertEquals(usd(0), outcome.settlement().paid());
        assertEquals(false, outcome.subscription().cancelAtPeriodEnd());
    }

    @Test
    void thePeriodEndRefusesThePlanTermsOfAnotherPlanThanItApplies() {
        var cancelled = onApril(PRO, MONTH).cancelAtPeriodEnd(PRO);
        assertThrows(IllegalArgumentException.class, () -> cancelled.endPeriod(MAY_1, PRO));
        assertThrows(IllegalArgumentException.class, () -> onApril(PRO, MONTH).endPeriod(MAY_1, PLUS));
    }

    @Test
    void everyAccountStartsOnTheDefaultFreePlanMonthly() {
        Instant now = Instant.parse("2026-04-10T12:00:00Z");
        var s = Subscription.start(UUID.randomUUID(), "acct-9", FREE, now);
        assertEquals("free", s.planCode());
        assertEquals(MONTH, s.interval());
        assertEquals(new BillingPeriod(now, Instant.parse("2026-05-10T12:00:00Z")), s.period());
        assertThrows(IllegalArgumentException.class, () -> Subscription.start(UUID.randomUUID(), "acct-9", PRO, now));
    }
}
