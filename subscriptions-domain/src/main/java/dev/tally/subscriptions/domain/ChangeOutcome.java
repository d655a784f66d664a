package dev.tally.subscriptions.domain;

import java.util.Optional;

/** A change made: the subscription after it, and the quote it was made on (charges, settlement, what it replaced). */
public record ChangeOutcome(Subscription subscription, ChangeQuote quote) {

    /** The change now waiting for the period end, when this one was scheduled. */
    public Optional<PendingChange> scheduled() {
        return quote.takesEffectNow() ? Optional.empty() : subscription.pending();
    }

    /** The pending change this one replaced or cleared. */
    public Optional<PendingChange> replaced() {
        return quote.supersededPending();
    }
}
