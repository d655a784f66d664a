package dev.tally.contracts.subscriptions;

import dev.tally.contracts.plans.BillingInterval;

/** Decided by plan rank, then by interval at equal rank (monthly to yearly is an upgrade). */
public enum ChangeDirection {
    UPGRADE, DOWNGRADE, LATERAL;

    /**
     * The one rule (docs/rules.md 1, Plans): by explicit rank, never guessed from price; at equal rank
     * monthly to yearly is an upgrade and yearly to monthly a downgrade. plans-service's policy table
     * and the subscription rules both ask here.
     */
    public static ChangeDirection between(int fromRank, BillingInterval fromInterval, int toRank, BillingInterval toInterval) {
        if (toRank != fromRank) {
            return toRank > fromRank ? UPGRADE : DOWNGRADE;
        }
        if (fromInterval == toInterval) {
            return LATERAL;
        }
        return toInterval == BillingInterval.YEAR ? UPGRADE : DOWNGRADE;
    }
}
