package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;

/**
 * Direction by explicit rank, never guessed from price; at equal rank monthly to yearly is an
 * upgrade and yearly to monthly a downgrade. A check on the catalog's answer and its fallback.
 */
public final class ChangeDirections {
    private ChangeDirections() {
    }

    public static ChangeDirection between(PlanTerms from, BillingInterval fromInterval, PlanTerms to, BillingInterval toInterval) {
        return ChangeDirection.between(from.rank(), fromInterval, to.rank(), toInterval);
    }
}
