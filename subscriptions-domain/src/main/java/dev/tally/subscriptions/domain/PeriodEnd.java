package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The period-end branch of the rules: the period's invoice in arrears is collected (computed first
 * if its usage close was not made), then the cancellation, else the pending change, else a renewal,
 * each charging the new period in advance unless its plan bills in arrears.
 */
final class PeriodEnd {
    private PeriodEnd() {
    }

    /** {@code inForce}: the plan version in force, null when the caller knows it bills in advance and nothing is owed in arrears. */
    static PeriodEndOutcome apply(Subscription s, Instant periodEnd, PlanTerms inForce, PlanTerms next, ArrearsInvoice computed) {
        if (!periodEnd.equals(s.period().end())) {
            return new PeriodEndOutcome(PeriodEndOutcome.Kind.IGNORED, s, List.of(), null, null, null, null, false);
        }
        Accrual accrual = s.accrual();
        ArrearsInvoice collect = computed;
        boolean computedNow = false;
        if (inForce != null && !accrual.invoiced(periodEnd)) {
            Optional<ArrearsInvoice> late = Arrears.close(s, inForce); // the usage close was not made: the billing date computes it
            if (late.isPresent()) {
                collect = late.get();
                computedNow = true;
                accrual = Arrears.afterClose(s, inForce);
            }
        } else if (inForce != null && inForce.inArrears() && accrual.since() != null && accrual.since().isBefore(periodEnd)) {
            // changed to this plan after the close: its part to the period end goes to the next invoice
            accrual = accrual.plus(Arrears.part(inForce, s.interval(), s.period(), accrual.since(), periodEnd,
                    Arrears.currency(s, inForce))).since(periodEnd);
        }
        CustomerBalance.Settlement collection = collect == null ? null : s.balance().settle(collect.total());
        CustomerBalance balance = collection == null ? s.balance() : collection.after();

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
        String currency = next.currency().orElse(balance.balance().currency());
        Money price = next.inArrears() ? Money.zero(currency) : next.price(interval, currency); // in arrears: billed after the period
        var lines = Charges.forPeriod(kind == PeriodEndOutcome.Kind.RENEWED ? ChargeLine.Kind.RENEWAL : ChargeLine.Kind.NEW_PERIOD,
                next, interval, period, price);
        var settlement = balance.settle(price);
        var after = new Subscription(s.id(), s.accountId(), next.code(), next.version(), interval, s.status(), anchor, period,
                false, null, settlement.after(), s.revision() + 1, accrual.since(next.inArrears() ? period.start() : null));
        return new PeriodEndOutcome(kind, after, lines, settlement, kind == PeriodEndOutcome.Kind.CHANGED ? pending : null, collect,
                collection, computedNow);
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
