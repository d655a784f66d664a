package dev.tally.credits.domain;

import dev.tally.contracts.subscriptions.ChangeTiming;

/**
 * What happens to the subscription credits left when a period ends or the plan changes
 * (docs/rules.md, Credits). Renewals, END_OF_PERIOD changes and reverts forfeit what is left and grant
 * the new period's credits; IMMEDIATE ("change immediately with allocation") keeps what is left and
 * grants the new plan's full amount; IMMEDIATE_PRORATED keeps what is left, capped at the new
 * grant prorated to the rest of the period when the new grant is smaller, and adds the prorated
 * difference when it is larger. Prorated amounts round down: a credit is never invented.
 */
public final class PlanChangeCredits {

    /** Credits kept from before, newly granted, and forfeited. */
    public record Allocation(long kept, long granted, long forfeited) {
    }

    private PlanChangeCredits() {
    }

    /** At a period end (renewal, END_OF_PERIOD change, revert to free). */
    public static Allocation atPeriodEnd(long remaining, long newGrant) {
        return new Allocation(0, newGrant, remaining);
    }

    public static Allocation onChange(ChangeTiming timing, long remaining, long oldGrant, long newGrant,
                                      long secondsLeft, long secondsInPeriod) {
        return switch (timing) {
            case END_OF_PERIOD -> atPeriodEnd(remaining, newGrant);
            case IMMEDIATE -> new Allocation(remaining, newGrant, 0);
            case IMMEDIATE_PRORATED -> prorated(remaining, oldGrant, newGrant, secondsLeft, secondsInPeriod);
        };
    }

    private static Allocation prorated(long remaining, long oldGrant, long newGrant, long secondsLeft, long secondsInPeriod) {
        if (secondsInPeriod <= 0 || secondsLeft < 0 || secondsLeft > secondsInPeriod) {
            throw new IllegalArgumentException("seconds left must lie within the period");
        }
        long kept = remaining;
        if (newGrant < oldGrant) {
            kept = Math.min(remaining, Math.multiplyExact(newGrant, secondsLeft) / secondsInPeriod);
        }
        long granted = newGrant > oldGrant ? Math.multiplyExact(newGrant - oldGrant, secondsLeft) / secondsInPeriod : 0;
        return new Allocation(kept, granted, remaining - kept);
    }
}
