package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a change means before it is made, and exactly what it does when made: a preview and the
 * change share this value, so the confirmed amounts are the previewed ones. The service adds the
 * preview id and expiry.
 *
 * @param newPeriod     the billing period the target plan runs in after the change takes effect
 * @param renewalPrice  what the next renewal bills, at {@code newPeriod.end()}
 * @param freeToPaid    from a free price to a paid one: needs a payment method on file (a payment step)
 * @param superseded    the pending change this one replaces (END_OF_PERIOD) or clears (immediate), or null
 * @param charges       the lines billed now; they sum to {@code proration.due()}
 * @param accrual       what is owed in arrears once the change is made (for the subscription after it)
 * @param nextInvoice   when a plan billed in arrears is involved: what the next invoice will hold if nothing else
 *                      changes, billed on its period's end; else null
 * @param toBillingMode the target plan's billing mode
 */
public record ChangeQuote(String fromPlanCode, int fromPlanVersion, BillingInterval fromInterval,
                          String toPlanCode, int toPlanVersion, BillingInterval toInterval,
                          ChangeDirection direction, ChangeTiming timing, Set<ChangeTiming> allowedTimings,
                          Instant effectiveAt, BillingPeriod newPeriod, ProrationQuote proration,
                          CustomerBalance.Settlement settlement, List<ChargeLine> charges, Money renewalPrice,
                          boolean freeToPaid, PendingChange superseded, List<QuoteWarning> warnings, Accrual accrual,
                          ArrearsInvoice nextInvoice, dev.tally.contracts.plans.BillingMode toBillingMode) {

    public ChangeQuote {
        allowedTimings = Set.copyOf(allowedTimings);
        charges = List.copyOf(charges);
        warnings = List.copyOf(warnings);
        java.util.Objects.requireNonNull(accrual, "accrual");
    }

    public Optional<ArrearsInvoice> next() {
        return Optional.ofNullable(nextInvoice);
    }

    public Money creditForUnused() {
        return proration.creditForUnused();
    }

    public Money charge() {
        return proration.charge();
    }

    /** Charge minus credit; negative means credit for the customer balance. */
    public Money dueNow() {
        return proration.due();
    }

    public Money balanceApplied() {
        return settlement.balanceUsed();
    }

    public Money balanceLeft() {
        return settlement.after().balance();
    }

    /** What the payment method is charged now, after the customer balance. */
    public Money paidNow() {
        return settlement.paid();
    }

    public Optional<PendingChange> supersededPending() {
        return Optional.ofNullable(superseded);
    }

    public boolean takesEffectNow() {
        return timing != ChangeTiming.END_OF_PERIOD;
    }
}
