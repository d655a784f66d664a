package dev.tally.subscriptions.domain;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the catalog (plans-service) allows for one move: its direction, the timings a request may
 * choose among, the one used when it names none, and whether it goes through sales. Passed in, never
 * decided here, so one table in plans-service stays the only policy.
 */
public record ChangePolicy(ChangeDirection direction, Set<ChangeTiming> allowedTimings, ChangeTiming defaultTiming,
                           boolean needsSales) {

    public ChangePolicy {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(defaultTiming, "defaultTiming");
        allowedTimings = Set.copyOf(allowedTimings);
        if (!allowedTimings.contains(defaultTiming)) {
            throw new IllegalArgumentException("the default timing " + defaultTiming + " must be one of " + allowedTimings);
        }
    }

    /**
     * The catalog's default row for a direction (upgrades now, downgrades and lateral moves at the
     * period end), for when plans-service cannot be asked; mirrors plans-domain's ChangePolicyTable.
     */
    public static ChangePolicy fallback(ChangeDirection direction, boolean needsSales) {
        return switch (direction) {
            case UPGRADE -> new ChangePolicy(direction, EnumSet.of(ChangeTiming.IMMEDIATE, ChangeTiming.IMMEDIATE_PRORATED),
                    ChangeTiming.IMMEDIATE, needsSales);
            case DOWNGRADE -> new ChangePolicy(direction, EnumSet.of(ChangeTiming.END_OF_PERIOD), ChangeTiming.END_OF_PERIOD,
                    needsSales);
            case LATERAL -> new ChangePolicy(direction, EnumSet.of(ChangeTiming.END_OF_PERIOD, ChangeTiming.IMMEDIATE_PRORATED),
                    ChangeTiming.END_OF_PERIOD, needsSales);
        };
    }
}
