package dev.tally.scheduler.domain;

import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.SubscriptionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which timers a subscription needs in the state it is in: its period end, and, when its plan bills
 * overage or bills in arrears, the usage close a lead time before it (never before the period
 * starts: that is when the period's charges in arrears are computed); when its plan
 * grants credits more often than it bills (yearly, credits monthly), one at each credit period
 * boundary inside the period. A cancelled subscription needs none.
 */
public final class TimerPlan {
    public static final String PERIOD_END = "period-end";
    public static final String USAGE_CLOSE = "usage-close";
    public static final String CREDIT_PERIOD_END = "credit-period-end";

    /** One timer a subscription needs: what fires, when, for which period. */
    public record WantedTimer(String kind, Instant dueAt, Instant periodStart, Instant periodEnd) {
    }

    private TimerPlan() {
    }

    public static List<WantedTimer> wanted(SubscriptionState s, Duration usageCloseLead) {
        List<WantedTimer> timers = new ArrayList<>();
        if (s.status() == SubscriptionState.Status.CANCELED) {
            return timers;
        }
        timers.add(new WantedTimer(PERIOD_END, s.periodEnd(), s.periodStart(), s.periodEnd()));
        if (s.credits() != null && CreditPeriods.shorterThanBilling(s.interval(), s.credits().creditPeriod())) {
            for (Instant boundary : CreditPeriods.boundariesInside(s.periodStart(), s.periodEnd(), s.credits().creditPeriod())) {
                timers.add(new WantedTimer(CREDIT_PERIOD_END, boundary, s.periodStart(), s.periodEnd()));
            }
        }
        boolean billsOverage = s.credits() != null && s.credits().overage() != null && s.credits().overage().mode() == Overage.Mode.BILL;
        if (billsOverage || s.billingMode() == BillingMode.IN_ARREARS) {
            Instant close = s.periodEnd().minus(usageCloseLead);
            timers.add(new WantedTimer(USAGE_CLOSE, close.isBefore(s.periodStart()) ? s.periodStart() : close, s.periodStart(), s.periodEnd()));
        }
        return timers;
    }
}
