package dev.tally.subscriptions.domain;

import java.util.List;
import java.util.Optional;

/**
 * What the end of a period did. IGNORED (a stale or repeated command) leaves the subscription as it
 * was, with no charges and no settlement.
 *
 * @param charges    the new period's lines (empty for a free plan)
 * @param settlement how the charge was paid, the customer balance first; null when IGNORED
 * @param applied    the pending change that took effect, when CHANGED
 * @param collected  the ended period's invoice in arrears, collected now (null: nothing billed in arrears)
 * @param collection how it was paid, the customer balance first (null with no invoice)
 * @param computedNow whether the period end computed that invoice itself (its usage close was not made)
 */
public record PeriodEndOutcome(Kind kind, Subscription subscription, List<ChargeLine> charges,
                               CustomerBalance.Settlement settlement, PendingChange applied, ArrearsInvoice collected,
                               CustomerBalance.Settlement collection, boolean computedNow) {

    /** Which branch of the period end ran. */
    public enum Kind { IGNORED, RENEWED, CHANGED, REVERTED_TO_FREE }

    public PeriodEndOutcome {
        charges = List.copyOf(charges);
    }

    public boolean ignored() {
        return kind == Kind.IGNORED;
    }

    /** The renewal charge before the customer balance: the sum of the lines. */
    public Money charged() {
        return ChargeLine.total(charges, subscription.balance().balance().currency());
    }

    public Optional<ArrearsInvoice> collectedInvoice() {
        return Optional.ofNullable(collected);
    }

    public Optional<PendingChange> appliedChange() {
        return Optional.ofNullable(applied);
    }
}
