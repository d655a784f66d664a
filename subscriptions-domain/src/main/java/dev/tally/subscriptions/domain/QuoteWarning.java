package dev.tally.subscriptions.domain;

/** Something the account should read before confirming a change; {@code code} is stable, the message is for people. */
public record QuoteWarning(String code, String message) {

    static QuoteWarning replacesPending(PendingChange pending) {
        return new QuoteWarning("replaces_pending_change", "replaces the pending change to " + pending.planCode()
                + " (" + pending.interval() + ") due " + pending.effectiveAt());
    }

    static QuoteWarning clearsPending(PendingChange pending) {
        return new QuoteWarning("clears_pending_change", "clears the pending change to " + pending.planCode()
                + " (" + pending.interval() + ") due " + pending.effectiveAt());
    }

    static QuoteWarning resumesCancelled() {
        return new QuoteWarning("resumes_cancelled_subscription",
                "the subscription is set to cancel at the period end; this change keeps it running");
    }

    static QuoteWarning paymentStep() {
        return new QuoteWarning("payment_method_required", "moving from a free plan to a paid one needs a payment method");
    }

    /** {@code rollsOver}: the plan left rolls its unused credits over, capped; only the excess is forfeited. */
    static QuoteWarning creditsForfeited(boolean rollsOver) {
        return new QuoteWarning("credits_forfeited_at_period_end", rollsOver
                ? "subscription credits left at the period end beyond the plan's rollover cap are forfeited"
                : "subscription credits left at the period end are forfeited");
    }

    static QuoteWarning creditedToBalance(Money amount) {
        return new QuoteWarning("credited_to_balance", amount + " goes to the customer balance and pays the next charges");
    }

    static QuoteWarning billedInArrears(ArrearsInvoice next) {
        return new QuoteWarning("billed_in_arrears", "billed in arrears: nothing more is due now for it; the next invoice holds "
                + next.total() + " (computed at the usage close, collected on " + next.period().end() + ")");
    }

    static QuoteWarning directionDiffers(Object catalog, Object byRank) {
        return new QuoteWarning("direction_differs_from_ranks",
                "the catalog calls this change " + catalog + " but the plan ranks make it " + byRank + "; the catalog wins");
    }
}
