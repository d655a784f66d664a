package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.subscriptions.domain.ArrearsPlans.KONG_PRO;
import static dev.tally.subscriptions.domain.ArrearsPlans.signUp;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_1;
import static dev.tally.subscriptions.domain.TestPlans.FREE;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.onApril;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static dev.tally.subscriptions.domain.TestPlans.withBalance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/rules.md "Upcoming charges": the next billing date's charges, as the period end and the usage close will make them. */
class UpcomingChargesTest {
    static final Instant CLOSE = MAY_1.minus(Duration.ofDays(3));

    private static UpcomingCharges.Usage usage(long credits, long minor, boolean closed) {
        return new UpcomingCharges.Usage(MAY_1, CLOSE, credits, minor, "USD", closed);
    }

    private static List<ChargeLine.Kind> kinds(UpcomingCharges.Upcoming u) {
        return u.lines().stream().map(UpcomingCharges.Line::kind).toList();
    }

    @Test
    void aBillPlanBeforeTheCloseOwesItsOverageAtTheCloseAndTheRenewalOnTheBillingDateTheBalancePayingOnlyTheRenewal() {
        var s = withBalance(onApril(PRO, MONTH), 500);
        var u = UpcomingCharges.of(s, PRO, PRO, null, usage(1500, 150, false));
        assertEquals(MAY_1, u.billingDate());
        assertEquals(PeriodEndOutcome.Kind.RENEWED, u.next());
        assertEquals(List.of(ChargeLine.Kind.OVERAGE, ChargeLine.Kind.RENEWAL), kinds(u));
        assertEquals(CLOSE, u.lines().get(0).chargedAt());
        assertFalse(u.lines().get(0).customerBalanceApplies(), "the close bills overage through the gateway");
        assertEquals(usd(3150), u.total());
        assertEquals(usd(500), u.customerBalanceApplied());
        assertEquals(usd(2650), u.due());
        assertEquals(usd(0), u.customerBalanceAfter());
        assertNull(u.invoice(), "billed in advance: no invoice in arrears");
    }

    @Test
    void afterTheCloseTheOverageIsChargedAlreadyAndOnlyTheRenewalIsUpcoming() {
        var u = UpcomingCharges.of(onApril(PRO, MONTH), PRO, PRO, null, usage(1500, 150, true));
        assertEquals(List.of(ChargeLine.Kind.RENEWAL), kinds(u));
        assertEquals(usd(3000), u.due());
    }

    @Test
    void aPendingChangeIsChargedAtTheNewPlansPriceAndACancellationChargesNothing() {
        var s = onApril(PRO, MONTH).change(TestPlans.request(PRO, MONTH, PLUS, MONTH, ChangeTiming.END_OF_PERIOD), APRIL_1.plusSeconds(60))
                .subscription();
        var changed = UpcomingCharges.of(s, PRO, PLUS, null, null);
        assertEquals(PeriodEndOutcome.Kind.CHANGED, changed.next());
        assertEquals("plus", changed.planCode());
        assertEquals(List.of(ChargeLine.Kind.NEW_PERIOD), kinds(changed));
        assertEquals(usd(1000), changed.due());

        var cancelled = UpcomingCharges.of(onApril(PRO, MONTH).cancelAtPeriodEnd(PRO), PRO, FREE, null, usage(0, 0, false));
        assertEquals(PeriodEndOutcome.Kind.REVERTED_TO_FREE, cancelled.next());
        assertTrue(cancelled.lines().isEmpty());
        assertEquals(usd(0), cancelled.due());
    }

    @Test
    void inArrearsTheInvoiceIsTheUpcomingInvoiceWithTheUsageJoiningItAndIsNotCountedTwiceOnceJoined() {
        var s = signUp(KONG_PRO, APRIL_1).subscription();
        var projected = s.upcomingInvoice(KONG_PRO).orElseThrow();
        var before = UpcomingCharges.of(s, KONG_PRO, KONG_PRO, null, usage(1500, 150, false));
        assertEquals(projected.lines(), before.invoice().lines().subList(0, projected.lines().size()), "the /invoices/upcoming lines");
        assertEquals(List.of(ChargeLine.Kind.ARREARS, ChargeLine.Kind.OVERAGE), kinds(before));
        assertEquals(usd(3150), before.due());
        assertTrue(before.lines().stream().allMatch(l -> l.chargedAt().equals(MAY_1)), "collected on the billing date");

        var closed = s.closeCharges(KONG_PRO, MAY_1).orElseThrow();
        var computed = closed.invoice().with(ArrearsInvoice.usage("overage: 1500 credits", s.period(), usd(150)));
        var after = UpcomingCharges.of(closed.subscription(), KONG_PRO, KONG_PRO, computed, usage(1500, 150, true));
        assertEquals(List.of(ChargeLine.Kind.ARREARS, ChargeLine.Kind.OVERAGE), kinds(after));
        assertEquals(before.due(), after.due(), "before and after the close: the same charges");
    }

    @Test
    void usageOfAnotherPeriodIsLeftOut() {
        var stale = new UpcomingCharges.Usage(APRIL_1, APRIL_1.minus(Duration.ofDays(3)), 10, 1, "USD", false);
        assertEquals(List.of(ChargeLine.Kind.RENEWAL), kinds(UpcomingCharges.of(onApril(PRO, MONTH), PRO, PRO, null, stale)));
    }
}
