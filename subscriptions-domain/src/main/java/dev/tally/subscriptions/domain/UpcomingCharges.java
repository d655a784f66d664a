package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the account will be charged at its next billing date and why (docs/rules.md, Upcoming
 * charges): the period end as the rules will run it ({@link Subscription#endPeriod}, which
 * collects the invoice in arrears and starts the next period at the price then in force, a pending
 * change or a cancellation included), run now on a copy, plus the usage the next close will charge.
 * Nothing new is decided here: the invoice in arrears is the one {@code /invoices/upcoming} shows
 * (computed, or projected by the same rule), the period's usage joins it as {@code usage.closed}
 * would, and on a plan billed in advance the usage close bills the overage by itself, through the
 * gateway, before the billing date (the customer balance does not pay it).
 */
public final class UpcomingCharges {
    private UpcomingCharges() {
    }

    /**
     * The period's usage as credits-service reports it: what its close takes and charges (the close's
     * own figures once {@code closed}), the close's cut-off {@code closeAt}, for the period ending at {@code periodEnd}.
     */
    public record Usage(Instant periodEnd, Instant closeAt, long credits, long amountMinor, String currency, boolean closed) {
    }

    /** One upcoming line: when it is charged and whether the customer balance pays it first. */
    public record Line(ChargeLine.Kind kind, String description, BillingPeriod period, Money amount, Instant chargedAt,
                       boolean customerBalanceApplies) {
    }

    /**
     * @param next                   what the billing date does: RENEWED, CHANGED (the pending change) or REVERTED_TO_FREE
     * @param invoice                the invoice in arrears the billing date collects, usage included (null: none)
     * @param total                  the sum of the lines
     * @param customerBalanceApplied what the customer balance pays of them
     * @param due                    what the gateway is asked for: total less the balance applied (never below 0 per charge)
     */
    public record Upcoming(Instant billingDate, PeriodEndOutcome.Kind next, String planCode, int planVersion, BillingInterval interval,
                           List<Line> lines, ArrearsInvoice invoice, Money total, Money customerBalanceApplied, Money due,
                           Money customerBalanceAfter) {
        public Upcoming {
            lines = List.copyOf(lines);
        }
    }

    /**
     * @param inForce  the plan version in force
     * @param next     the plan of the next period: the default free plan after a cancel, the pending change's version, or {@code inForce}
     * @param computed this period's invoice in arrears as computed at its usage close, or null before it
     * @param usage    the period's usage, or null when it is not known (credits-service not read)
     */
    public static Upcoming of(Subscription s, PlanTerms inForce, PlanTerms next, ArrearsInvoice computed, Usage usage) {
        Objects.requireNonNull(inForce, "inForce");
        Instant billingDate = s.period().end();
        Subscription base = s;
        ArrearsInvoice invoice = computed;
        if (invoice == null) {
            var close = s.closeCharges(inForce, billingDate); // what the usage close will compute: the same rule
            if (close.isPresent()) {
                base = close.get().subscription();
                invoice = close.get().invoice();
            }
        }
        boolean current = usage != null && usage.periodEnd() != null && usage.periodEnd().equals(billingDate) && usage.amountMinor() != 0;
        Line overageNow = null;
        if (current) {
            ChargeLine line = ArrearsInvoice.usage("overage: " + usage.credits() + " credits", s.period(),
                    new Money(usage.amountMinor(), usage.currency()));
            if (invoice != null && invoice.currency().equals(usage.currency())) {
                if (invoice.lines().stream().noneMatch(l -> l.kind() == ChargeLine.Kind.OVERAGE)) {
                    invoice = invoice.with(line); // usage.closed joins the invoice
                }
            } else if (!usage.closed()) {
                overageNow = new Line(line.kind(), line.description(), line.period(), line.amount(), usage.closeAt(), false);
            }
        }
        PeriodEndOutcome end = base.endPeriod(billingDate, inForce, next, invoice);
        String currency = end.subscription().balance().balance().currency();
        List<Line> lines = new ArrayList<>();
        Money applied = Money.zero(currency);
        Money due = Money.zero(currency);
        if (overageNow != null) {
            lines.add(overageNow);
            due = due.plus(overageNow.amount());
        }
        if (end.collected() != null) {
            end.collected().lines().forEach(l -> lines.add(new Line(l.kind(), l.description(), l.period(), l.amount(), billingDate, true)));
            applied = applied.plus(end.collection().balanceUsed());
            due = due.plus(end.collection().paid());
        }
        end.charges().forEach(l -> lines.add(new Line(l.kind(), l.description(), l.period(), l.amount(), billingDate, true)));
        applied = applied.plus(end.settlement().balanceUsed());
        due = due.plus(end.settlement().paid());
        Money total = Money.zero(currency);
        for (Line l : lines) {
            total = total.plus(l.amount());
        }
        var after = end.subscription();
        return new Upcoming(billingDate, end.kind(), after.planCode(), after.planVersion(), after.interval(), lines, end.collected(), total,
                applied, due, after.balance().balance());
    }
}
