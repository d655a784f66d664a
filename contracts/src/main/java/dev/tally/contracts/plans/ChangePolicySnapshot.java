package dev.tally.contracts.plans;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The catalog's change policy as plans-service holds it: every admin override of the default
 * policy table (plans-domain's ChangePolicyTable), whole, at one {@code version}. Each edit of the
 * overrides publishes the next version with the complete list, so a reader keeps the highest
 * version it has seen and needs nothing else (key {@code change-policy} on the compacted plans topic).
 */
public record ChangePolicySnapshot(long version, List<Override> overrides, Instant publishedAt) {

    public ChangePolicySnapshot {
        overrides = List.copyOf(overrides);
    }

    /** One override: for a pair of plan codes (from, to) or for a direction; a pair beats a direction. */
    public record Override(String fromCode, String toCode, ChangeDirection direction, Set<ChangeTiming> allowedTimings,
                           ChangeTiming defaultTiming) {
    }
}
