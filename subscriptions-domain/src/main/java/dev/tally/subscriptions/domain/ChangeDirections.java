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
        return between(from.rank(), fromInterval, to.rank(), toInterval);
    }

    public static ChangeDirection between(int fromRank, BillingInterval fromInterval, int toRank, BillingInterval toInterval) {
        if (toRank != fromRank) {
            return toRank > fromRank ? ChangeDirection.UPGRADE : ChangeDirection.DOWNGRADE;
        }
        if (fromInterval == toInterval) {
            return ChangeDirection.LATERAL;
        }
        return toInterval == BillingInterval.YEAR ? ChangeDirection.UPGRADE : ChangeDirection.DOWNGRADE;
    }
}
