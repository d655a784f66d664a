package dev.tally.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "tally.scheduler")
public interface SchedulerConfig {
    /** How long before a billing date usage is closed (Kong: three days). */
    @WithDefault("P3D")
    Duration usageCloseLead();

    /** Timers claimed per batch. */
    @WithDefault("500")
    int batchSize();

    /**
     * Batches one replica claims and fires at the same time when many timers are due (each claims
     * its own with SKIP LOCKED), so the database works on one while the replica prepares the next.
     */
    @WithDefault("2")
    int firingConcurrency();

    /** How long a replica's claim holds before another replica may take the timers over. */
    @WithDefault("30s")
    Duration lease();

    /** Off only in tests that drive firing by hand. */
    @WithDefault("true")
    boolean firingEnabled();
}
