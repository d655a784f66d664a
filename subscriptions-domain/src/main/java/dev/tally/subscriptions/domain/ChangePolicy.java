package dev.tally.subscriptions.domain;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.DefaultChangePolicy;
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
     * The catalog's default row for a direction (contracts' DefaultChangePolicy, the table
     * plans-service starts from), for when plans-service cannot be asked.
     */
    public static ChangePolicy fallback(ChangeDirection direction, boolean needsSales) {
        DefaultChangePolicy row = DefaultChangePolicy.of(direction);
        return new ChangePolicy(direction, row.allowedTimings(), row.defaultTiming(), needsSales);
    }
}
