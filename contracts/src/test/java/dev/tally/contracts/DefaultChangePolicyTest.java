package dev.tally.contracts;

import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.DefaultChangePolicy;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one default policy table (docs/rules.md, Plans), read by plans-domain and subscriptions-domain alike. */
class DefaultChangePolicyTest {

    @Test
    void upgradesHappenNowDowngradesWaitAndLateralMovesWaitUnlessProrated() {
        assertEquals(new DefaultChangePolicy(Set.of(IMMEDIATE, IMMEDIATE_PRORATED), IMMEDIATE), DefaultChangePolicy.of(ChangeDirection.UPGRADE));
        assertEquals(new DefaultChangePolicy(Set.of(END_OF_PERIOD), END_OF_PERIOD), DefaultChangePolicy.of(ChangeDirection.DOWNGRADE));
        assertEquals(new DefaultChangePolicy(Set.of(END_OF_PERIOD, IMMEDIATE_PRORATED), END_OF_PERIOD),
                DefaultChangePolicy.of(ChangeDirection.LATERAL));
    }

    @Test
    void everyDirectionHasARowWhoseDefaultIsAllowed() {
        for (ChangeDirection d : ChangeDirection.values()) {
            assertTrue(DefaultChangePolicy.of(d).allowedTimings().contains(DefaultChangePolicy.of(d).defaultTiming()), d.name());
        }
    }
}
