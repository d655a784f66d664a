package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of billing in arrears: the fee of a part {@code [from, to)} of a period is the
 * plan's price for the period times seconds of the part / seconds of the period, rounded half-even
 * to the minor unit, each part on its own (docs/rules.md, Billing in arrears).
 */
final class Arrears {
    private Arrears() {
    }

    /**
     * The fee of {@code plan} for {@code [from, to)} of {@code period}; when {@code to} precedes
     * {@code from} (that time was invoiced already and is not used after all) a credit for
     * {@code [to, from)}; null for a part of no time or no money.
     */
    static ChargeLine part(PlanTerms plan, BillingInterval interval, BillingPeriod period, Instant from, Instant to, String currency) {
        if (from.equals(to)) {
            return null;
        }
        Money price = plan.price(interval, currency);
        boolean used = to.isAfter(from);
        BillingPeriod part = used ? new BillingPeriod(from, to) : new BillingPeriod(to, from);
        Money fee = price.times(part.seconds(), period.seconds());
        if (fee.isZero()) {
            return null;
        }
        String name = Charges.name(plan, interval);
        return used ? new ChargeLine(ChargeLine.Kind.ARREARS, name + " in arrears", part, fee)
                : new ChargeLine(ChargeLine.Kind.ARREARS_CREDIT, "Unused time on " + name + ", invoiced already", part, fee.negate());
    }

    /**
     * The invoice the usage close computes for {@code s}'s period: the accrued lines and the part of
     * the plan in force from {@code since} to the period's end. Empty when this period's invoice was
     * computed already or nothing is owed in arrears.
     */
    static Optional<ArrearsInvoice> close(Subscription s, PlanTerms inForce) {
        s.requireInForce(inForce);
        Accrual accrual = s.accrual();
        if (accrual.invoiced(s.period().end()) || !inForce.inArrears() && accrual.lines().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(projected(accrual, inForce, s.interval(), s.period(), currency(s, inForce)));
    }

    /** The accrual once the period's invoice is computed: nothing left, the plan in force invoiced to the period's end. */
    static Accrual afterClose(Subscription s, PlanTerms inForce) {
        return new Accrual(List.of(), inForce.inArrears() ? s.period().end() : null, s.period().end());
    }

    /** What an invoice of {@code period} holds if nothing changes: the accrued lines and the open part to the period's end. */
    static ArrearsInvoice projected(Accrual accrual, PlanTerms inForce, BillingInterval interval, BillingPeriod period, String currency) {
        List<ChargeLine> lines = new ArrayList<>(accrual.lines());
        if (inForce.inArrears() && accrual.since() != null && accrual.since().isBefore(period.end())) {
            ChargeLine open = part(inForce, interval, period, accrual.since(), period.end(), currency);
            if (open != null) {
                lines.add(open);
            }
        }
        return new ArrearsInvoice(period, lines, currency);
    }

    static String currency(Subscription s, PlanTerms plan) {
        return plan.currency().orElse(s.balance().balance().currency());
    }
}
