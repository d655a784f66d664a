package dev.tally.subscriptions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.SubscriptionState.Status;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A failed payment makes the subscription past due; paying restores it; when the grace runs out it reverts to free now. */
class PastDueTest {
    private static final Instant START = Instant.parse("2027-03-31T12:00:00Z");
    private static final PlanTerms FREE = TestPlans.FREE;

    private static Subscription onPro() {
        return new Subscription(UUID.randomUUID(), "acc", TestPlans.PRO.code(), TestPlans.PRO.version(), BillingInterval.MONTH,
                Status.ACTIVE, START, PeriodCalendar.firstPeriod(START, BillingInterval.MONTH), false, null,
                CustomerBalance.empty("USD"), 4);
    }

    @Test
    void aFailedPaymentMakesItPastDueAndPayingMakesItActiveAgain() {
        var pastDue = onPro().pastDue();
        assertEquals(Status.PAST_DUE, pastDue.status());
        assertEquals(TestPlans.PRO.code(), pastDue.planCode(), "the plan stays in force during the grace period");
        assertEquals(Status.ACTIVE, pastDue.paid().status());
        assertEquals(6, pastDue.paid().revision());
    }

    @Test
    void whenTheGraceRunsOutTheAccountIsOnTheFreePlanFromNow() {
        Instant now = Instant.parse("2027-04-10T08:00:00Z");
        var reverted = onPro().pastDue().revertToFreeNow(FREE, now);
        assertEquals(FREE.code(), reverted.planCode());
        assertEquals(Status.ACTIVE, reverted.status());
        assertEquals(now, reverted.period().start());
        assertEquals(Instant.parse("2027-05-10T08:00:00Z"), reverted.period().end());
        assertNull(reverted.pendingChange());
    }
}
