package dev.tally.contracts.subscriptions;

import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;

import java.util.Map;
import java.util.Set;

/**
 * The catalog's default row per direction, the one table both sides read (docs/rules.md, Plans): an
 * upgrade happens now (IMMEDIATE, or IMMEDIATE_PRORATED on request); a downgrade waits for the
 * period end; a lateral move waits too unless prorated on request. plans-domain's ChangePolicyTable
 * starts from it (admins override it per pair or direction); subscriptions-domain falls back on it
 * when plans-service cannot be asked. It lives here, beside ChangeDirection, so neither domain
 * depends on the other.
 */
public record DefaultChangePolicy(Set<ChangeTiming> allowedTimings, ChangeTiming defaultTiming) {
    private static final Map<ChangeDirection, DefaultChangePolicy> TABLE = Map.of(
            ChangeDirection.UPGRADE, new DefaultChangePolicy(Set.of(IMMEDIATE, IMMEDIATE_PRORATED), IMMEDIATE),
            ChangeDirection.DOWNGRADE, new DefaultChangePolicy(Set.of(END_OF_PERIOD), END_OF_PERIOD),
            ChangeDirection.LATERAL, new DefaultChangePolicy(Set.of(END_OF_PERIOD, IMMEDIATE_PRORATED), END_OF_PERIOD));

    public DefaultChangePolicy {
        allowedTimings = Set.copyOf(allowedTimings);
    }

    public static DefaultChangePolicy of(ChangeDirection direction) {
        return TABLE.get(direction);
    }
}
