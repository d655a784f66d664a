package dev.tally.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The timer rules, without booting anything. */
class TimerPlanTest {
    private static final Instant START = Instant.parse("2026-01-31T00:00:00Z");
    private static final Instant END = Instant.parse("2026-02-28T00:00:00Z");

    private static SubscriptionState state(Overage overage, SubscriptionState.Status status, Instant start) {
        return new SubscriptionState(UUID.randomUUID(), "acc", "pro", 1, BillingInterval.MONTH, status, start, END, false, null,
                new CreditTerms(5000, BillingInterval.MONTH, 0, overage), List.of(), 5, 3);
    }

    @Test
    void aBlockPlanNeedsOnlyItsPeriodEnd() {
        assertEquals(List.of(new TimerPlan.WantedTimer(TimerPlan.PERIOD_END, END, START, END)),
                TimerPlan.wanted(state(Overage.block(), SubscriptionState.Status.ACTIVE, START), Duration.ofDays(3)));
    }

    @Test
    void aBillPlanAlsoClosesUsageThreeDaysBeforeTheBillingDate() {
        var timers = TimerPlan.wanted(state(new Overage(Overage.Mode.BILL, 100, 1000, "USD"), SubscriptionState.Status.ACTIVE, START),
                Duration.ofDays(3));
        assertEquals(new TimerPlan.WantedTimer(TimerPlan.USAGE_CLOSE, Instant.parse("2026-02-25T00:00:00Z"), START, END), timers.get(1));
    }

    @Test
    void aPlanBilledInArrearsClosesThreeDaysBeforeTheBillingDateEvenIfItBlocksOverage() {
        var arrears = new SubscriptionState(UUID.randomUUID(), "acc", "kong", 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE,
                START, END, false, null, new CreditTerms(5000, BillingInterval.MONTH, 0, Overage.block()), List.of(), 5, 3,
                dev.tally.contracts.plans.BillingMode.IN_ARREARS);
        assertEquals(List.of(new TimerPlan.WantedTimer(TimerPlan.PERIOD_END, END, START, END),
                new TimerPlan.WantedTimer(TimerPlan.USAGE_CLOSE, Instant.parse("2026-02-25T00:00:00Z"), START, END)),
                TimerPlan.wanted(arrears, Duration.ofDays(3)));
    }

    @Test
    void theUsageCloseNeverComesBeforeThePeriodStarts() {
        Instant lateStart = END.minus(Duration.ofDays(1));
        var timers = TimerPlan.wanted(state(new Overage(Overage.Mode.BILL, 100, 1000, "USD"), SubscriptionState.Status.ACTIVE, lateStart),
                Duration.ofDays(3));
        assertEquals(lateStart, timers.get(1).dueAt());
    }

    @Test
    void aCancelledSubscriptionNeedsNoTimers() {
        assertEquals(List.of(), TimerPlan.wanted(state(Overage.block(), SubscriptionState.Status.CANCELED, START), Duration.ofDays(3)));
    }

    @Test
    void aYearlyPlanGrantingMonthlyGetsATimerAtEachOfTheElevenMonthBoundariesInsideTheYear() {
        Instant start = Instant.parse("2028-01-31T00:00:00Z");
        Instant end = Instant.parse("2029-01-31T00:00:00Z");
        var yearly = new SubscriptionState(UUID.randomUUID(), "acc", "studio", 1, BillingInterval.YEAR, SubscriptionState.Status.ACTIVE,
                start, end, false, null, new CreditTerms(1000, BillingInterval.MONTH, 0, Overage.block()), List.of(), 1, 3);
        var credit = TimerPlan.wanted(yearly, Duration.ofDays(3)).stream()
                .filter(t -> t.kind().equals(TimerPlan.CREDIT_PERIOD_END)).map(TimerPlan.WantedTimer::dueAt).toList();
        assertEquals(11, credit.size());
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), credit.get(0), "a leap February keeps the 29th");
        assertEquals(Instant.parse("2028-03-31T00:00:00Z"), credit.get(1), "and the day returns to the 31st");
        assertEquals(Instant.parse("2028-12-31T00:00:00Z"), credit.get(10));
    }

    @Test
    void aPlanGrantingAsOftenAsItBillsNeedsNoCreditPeriodTimers() {
        assertEquals(0, TimerPlan.wanted(state(Overage.block(), SubscriptionState.Status.ACTIVE, START), Duration.ofDays(3)).stream()
                .filter(t -> t.kind().equals(TimerPlan.CREDIT_PERIOD_END)).count());
    }
}
