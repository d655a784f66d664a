package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.List;

/** The period-end branch of the rules: cancellation first, then the pending change, else a renewal. */
final class PeriodEnd {
    private PeriodEnd() {
    }

    static PeriodEndOutcome apply(Subscription s, Instant periodEnd, PlanTerms next) {
        if (!periodEnd.equals(s.period().end())) {
            return new PeriodEndOutcome(PeriodEndOutcome.Kind.IGNORED, s, List.of(), null, null);
        }
        PeriodEndOutcome.Kind kind = s.atPeriodEnd();
        PendingChange pending = s.pendingChange();
        BillingInterval interval;
        Instant anchor;
        BillingPeriod period;
        switch (kind) {
            case REVERTED_TO_FREE -> {
                require(next.defaultFree(), next, "the default free plan");
                interval = freeInterval(next);
                anchor = periodEnd;
                period = PeriodCalendar.firstPeriod(periodEnd, interval);
            }
            case CHANGED -> {
                require(next.is(pending.planCode(), pending.planVersion()), next, pending.planCode() + " v" + pending.planVersion());
                interval = pending.interval();
                anchor = periodEnd;
                period = PeriodCalendar.firstPeriod(periodEnd, interval);
            }
            default -> {
                require(next.is(s.planCode(), s.planVersion()), next, s.planCode() + " v" + s.planVersion());
                interval = s.interval();
                anchor = s.anchor();
                period = new BillingPeriod(periodEnd, PeriodCalendar.nextBoundary(anchor, interval, periodEnd));
            }
        }
        String currency = next.currency().orElse(s.balance().balance().currency());
        Money price = next.price(interval, currency);
        var lines = Charges.forPeriod(kind == PeriodEndOutcome.Kind.RENEWED ? ChargeLine.Kind.RENEWAL : ChargeLine.Kind.NEW_PERIOD,
                next, interval, period, price);
        var settlement = s.balance().settle(price);
        var after = new Subscription(s.id(), s.accountId(), next.code(), next.version(), interval, s.status(), anchor, period,
                false, null, settlement.after(), s.revision() + 1);
        return new PeriodEndOutcome(kind, after, lines, settlement, kind == PeriodEndOutcome.Kind.CHANGED ? pending : null);
    }

    /** The free plan runs monthly unless it is only offered yearly, so daily and monthly grants line up. */
    static BillingInterval freeInterval(PlanTerms free) {
        return free.offers(BillingInterval.MONTH) ? BillingInterval.MONTH : BillingInterval.YEAR;
    }

    private static void require(boolean ok, PlanTerms given, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("the period end needs " + expected + ", was given " + given.code() + " v"
                    + given.version());
        }
    }
}
