package dev.tally.backbone.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "tally.idempotency")
public interface IdempotencyConfig {
    /** How long a key is remembered. */
    @WithDefault("P7D")
    Duration retention();

    /** A claim older than this whose request never finished (a crash) may be taken over by a retry. */
    @WithDefault("60s")
    Duration claimLease();
}
