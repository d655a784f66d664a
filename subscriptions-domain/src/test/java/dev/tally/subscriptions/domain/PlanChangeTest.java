package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_1;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.onApril;
import static dev.tally.subscriptions.domain.TestPlans.request;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static dev.tally.subscriptions.domain.TestPlans.withBalance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.subscriptions.ChangeDirection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/rules.md "Changing plan": timings, defaults, what a change does to the period, the money and the pending change. */
class PlanChangeTest {

    @Test
    void anUpgradeDefaultsToImmediateAndStartsANewCycleNowAtTheNewPrice() {
        var plus = onApril(PLUS, MONTH);
        var outcome = plus.change(request(PLUS, MONTH, PRO, MONTH, null), APRIL_16);
        assertEquals(IMMEDIATE, outcome.quote().timing());
        assertEquals(ChangeDirection.UPGRADE, outcome.quote().direction());
        var after = outcome.subscription();
        assertEquals("pro", after.planCode());
        assertEquals(new BillingPeriod(APRIL_16, Instant.parse("2026-05-16T00:00:00Z")), after.period());
        assertEquals(APRIL_16, after.anchor());
        assertEquals(usd(500), outcome.quote().creditForUnused());
        assertEquals(usd(2500), outcome.quote().dueNow());
        assertEquals(usd(2500), outcome.quote().paidNow());
        assertEquals(8, after.revision());
    }

    @Test
    void immediateChargeLinesAreTheUnusedCreditAndTheNewPeriodAndSumToTheDue() {
        var quote = onApril(PLUS, MONTH).preview(request(PLUS, MONTH, PRO, MONTH, IMMEDIATE), APRIL_16);
        assertEquals(List.of(
                new ChargeLine(ChargeLine.Kind.UNUSED_TIME_CREDIT, "Unused time on plus v1 (monthly)",
                        new BillingPeriod(APRIL_16, MAY_1), usd(-500)),
                new ChargeLine(ChargeLine.Kind.NEW_PERIOD, "pro v1 (monthly)",
                        new BillingPeriod(APRIL_16, Instant.parse("2026-05-16T00:00:00Z")), usd(3000))), quote.charges());
        assertEquals(quote.dueNow(), ChargeLine.total(quote.charges(), "USD"));
    }

    @Test
    void aProratedChangeKeepsTheBillingDateAndProratesBothSides() {
        var outcome = onApril(PLUS, MONTH).change(request(PLUS, MONTH, PRO, MONTH, IMMEDIATE_PRORATED), APRIL_16);
        assertEquals(new BillingPeriod(APRIL_1, MAY_1), outcome.subscription().period());
        assertEquals(APRIL_1, outcome.subscription().anchor());
        assertEquals(usd(500), outcome.quote().creditForUnused());
        assertEquals(usd(1500), outcome.quote().charge());
        assertEquals(usd(1000), outcome.quote().dueNow());
        assertEquals(usd(3000), outcome.quote().renewalPrice());
        assertEquals(ChargeLine.Kind.REMAINING_TIME, outcome.quote().charges().get(1).kind());
    }

    @Test
    void aProratedDowngradeCreditsTheCustomerBalanceWhichPaysTheNextCharge() {
        var pro = onApril(PRO, MONTH);
        var policy = TestPlans.allowing(ChangeDirection.DOWNGRADE, END_OF_PERIOD, END_OF_PERIOD, IMMEDIATE_PRORATED);
        var outcome = pro.change(ChangeRequest.of(PRO, PLUS, MONTH, IMMEDIATE_PRORATED, policy, true), APRIL_16);
        assertEquals(usd(-1000), outcome.quote().dueNow());
        assertEquals(usd(0), outcome.quote().paidNow());
        assertEquals(usd(1000), outcome.subscription().balance().balance());
        assertTrue(outcome.quote().warnings().stream().anyMatch(w -> w.code().equals("credited_to_balance")));
        var renewal = outcome.subscription().endPeriod(MAY_1, PLUS);
        assertEquals(usd(1000), renewal.charged());
        assertEquals(usd(0), renewal.settlement().paid());
        assertEquals(usd(0), renewal.subscription().balance().balance());
    }

    @Test
    void aCustomerBalanceIsUsedBeforeAnythingIsPaidOnAChange() {
        var plus = withBalance(onApril(PLUS, MONTH), 600);
        var quote = plus.preview(request(PLUS, MONTH, PRO, MONTH, IMMEDIATE), APRIL_16);
        assertEquals(usd(2500), quote.dueNow());
        assertEquals(usd(600), quote.balanceApplied());
        assertEquals(usd(1900), quote.paidNow());
        assertEquals(usd(0), quote.balanceLeft());
    }

    @Test
    void aRequestMayPickAnyAllowedTimingInsteadOfTheDefault() {
        var quote = onApril(PLUS, MONTH).preview(request(PLUS, MONTH, PRO, MONTH, IMMEDIATE_PRORATED), APRIL_16);
        assertEquals(IMMEDIATE_PRORATED, quote.timing());
        assertEquals(java.util.Set.of(IMMEDIATE, IMMEDIATE_PRORATED), quote.allowedTimings());
    }

    @Test
    void aChangeKeepsACancelledSubscriptionRunningAndWarnsAboutIt() {
        var cancelled = onApril(PLUS, MONTH).cancelAtPeriodEnd(PLUS);
        var outcome = cancelled.change(request(PLUS, MONTH, PRO, MONTH, null), APRIL_16);
        assertFalse(outcome.subscription().cancelAtPeriodEnd());
        assertTrue(outcome.quote().warnings().stream().anyMatch(w -> w.code().equals("resumes_cancelled_subscription")));
    }

    @Test
    void aPreviewChangesNothingAndMatchesTheChangeItPreviews() {
        var plus = onApril(PLUS, MONTH);
        var quote = plus.preview(request(PLUS, MONTH, PRO, MONTH, null), APRIL_16);
        var outcome = plus.change(request(PLUS, MONTH, PRO, MONTH, null), APRIL_16);
        assertEquals(quote, outcome.quote());
        assertEquals("plus", plus.planCode());
        assertNull(plus.pendingChange());
    }

    @Test
    void aCatalogDirectionThatDisagreesWithTheRanksIsKeptButWarnedAbout() {
        var policy = TestPlans.allowing(ChangeDirection.LATERAL, IMMEDIATE, IMMEDIATE);
        var quote = onApril(PLUS, MONTH).preview(ChangeRequest.of(PLUS, PRO, MONTH, null, policy, true), APRIL_16);
        assertEquals(ChangeDirection.LATERAL, quote.direction());
        assertTrue(quote.warnings().stream().anyMatch(w -> w.code().equals("direction_differs_from_ranks")));
    }
}
