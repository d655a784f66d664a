package dev.tally.plans.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.util.Set;

/**
 * What the catalog allows for moving from one plan and interval to another: the direction, the
 * timings a request may choose among, the one used when it chooses none, and who may ask.
 */
public record ChangePolicy(String fromCode, BillingInterval fromInterval, String toCode, BillingInterval toInterval,
                           ChangeDirection direction, Set<ChangeTiming> allowedTimings, ChangeTiming defaultTiming,
                           Access access, String decidedBy) {

    /** Who may make the change: the account itself, only through sales, or only an admin. */
    public enum Access { SELF_SERVE, CONTACT_SALES, ADMIN_ONLY }

    public ChangePolicy {
        allowedTimings = Set.copyOf(allowedTimings);
        if (!allowedTimings.contains(defaultTiming)) {
            throw new IllegalArgumentException("the default timing must be one of the allowed ones");
        }
    }
}
