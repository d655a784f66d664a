package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.FREE;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.onApril;
import static dev.tally.subscriptions.domain.TestPlans.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** docs/rules.md "Cancelling" and the pending-change rules around it (ImagineArt's rule). */
class CancellationTest {

    private static SubscriptionRuleViolation refused(String code, Executable action) {
        var violation = assertThrows(SubscriptionRuleViolation.class, action);
        assertEquals(code, violation.code());
        return violation;
    }

    @Test
    void cancellingKeepsThePlanUntilThePeriodEnd() {
        var cancelled = onApril(PRO, MONTH).cancelAtPeriodEnd(PRO);
        assertTrue(cancelled.cancelAtPeriodEnd());
        assertEquals("pro", cancelled.planCode());
        assertEquals(MAY_1, cancelled.period().end());
        assertEquals(8, cancelled.revision());
    }

    @Test
    void cancellingTwiceIsRefusedAsAlreadyCancelled() {
        var cancelled = onApril(PRO, MONTH).cancelAtPeriodEnd(PRO);
        refused("already_cancelled", () -> cancelled.cancelAtPeriodEnd(PRO));
    }

    @Test
    void aPendingChangeBlocksCancellingUntilItIsCancelledItself() {
        var pending = onApril(PRO, MONTH).change(request(PRO, MONTH, PLUS, MONTH, null), APRIL_16).subscription();
        var v = refused("pending_change_blocks_cancel", () -> pending.cancelAtPeriodEnd(PRO));
        assertTrue(v.getMessage().contains("cancel the pending change first"));
        var withoutPending = pending.cancelPendingChange();
        assertEquals(pending.pendingChange(), withoutPending.cancelled());
        assertTrue(withoutPending.subscription().cancelAtPeriodEnd(PRO).cancelAtPeriodEnd());
    }

    @Test
    void cancellingAPendingChangeWhenThereIsNoneIsRefused() {
        refused("no_pending_change", () -> onApril(PRO, MONTH).cancelPendingChange());
    }

    @Test
    void resumeRevokesTheCancellationBeforeThePeriodEnds() {
        var resumed = onApril(PRO, MONTH).cancelAtPeriodEnd(PRO).resume(APRIL_16);
        assertFalse(resumed.cancelAtPeriodEnd());
        assertEquals(9, resumed.revision());
    }

    @Test
    void resumeWithNothingToResumeIsRefused() {
        refused("nothing_to_resume", () -> onApril(PRO, MONTH).resume(APRIL_16));
    }

    @Test
    void resumeAfterThePeriodEndedIsRefused() {
        var cancelled = onApril(PRO, MONTH).cancelAtPeriodEnd(PRO);
        refused("period_already_ended", () -> cancelled.resume(MAY_1));
    }

    @Test
    void theFreePlanHasNothingToCancel() {
        refused("free_plan_not_cancellable", () -> onApril(FREE, MONTH).cancelAtPeriodEnd(FREE));
    }
}
