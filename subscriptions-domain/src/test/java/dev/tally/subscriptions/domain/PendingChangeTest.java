package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.onApril;
import static dev.tally.subscriptions.domain.TestPlans.request;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one pending change: an END_OF_PERIOD change waits, a new one replaces it, an immediate one clears it. */
class PendingChangeTest {

    @Test
    void aDowngradeDefaultsToTheEndOfThePeriodChargesNothingNowAndBecomesThePendingChange() {
        var pro = onApril(PRO, MONTH);
        var outcome = pro.change(request(PRO, MONTH, PLUS, MONTH, null), APRIL_16);
        assertEquals(END_OF_PERIOD, outcome.quote().timing());
        assertEquals(MAY_1, outcome.quote().effectiveAt());
        assertEquals(new BillingPeriod(MAY_1, Instant.parse("2026-06-01T00:00:00Z")), outcome.quote().newPeriod());
        assertEquals(usd(0), outcome.quote().dueNow());
        assertTrue(outcome.quote().charges().isEmpty());
        var after = outcome.subscription();
        assertEquals("pro", after.planCode());
        assertEquals("plus", after.pending().orElseThrow().planCode());
        assertEquals(MAY_1, after.pending().orElseThrow().effectiveAt());
        assertEquals(outcome.scheduled(), after.pending());
        assertFalse(outcome.replaced().isPresent());
    }

    @Test
    void aNewScheduledChangeReplacesThePendingOneAndSaysWhichItReplaced() {
        var yearly = onApril(PRO, YEAR);
        var first = yearly.change(request(PRO, YEAR, PLUS, YEAR, null), APRIL_16).subscription();
        var second = first.change(request(PRO, YEAR, PRO, MONTH, null), APRIL_16);
        assertEquals(first.pending(), second.replaced());
        assertEquals(MONTH, second.subscription().pending().orElseThrow().interval());
        assertEquals("replaces_pending_change", second.quote().warnings().get(0).code());
    }

    @Test
    void anImmediateChangeClearsThePendingChange() {
        var pro = onApril(PRO, MONTH).change(request(PRO, MONTH, PLUS, MONTH, null), APRIL_16).subscription();
        var yearly = pro.change(request(PRO, MONTH, PRO, YEAR, null), APRIL_16);
        assertEquals(IMMEDIATE, yearly.quote().timing());
        assertTrue(yearly.subscription().pending().isEmpty());
        assertEquals(pro.pending(), yearly.replaced());
        assertEquals("clears_pending_change", yearly.quote().warnings().get(0).code());
    }
}
