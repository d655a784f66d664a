package dev.tally.backbone.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "tally.outbox")
public interface OutboxConfig {
    /** Off only in tests that stop the relay to simulate a crash between commit and publish. */
    @WithDefault("true")
    boolean relayEnabled();

    /** How long the relay waits after finding nothing to send. */
    @WithDefault("10ms")
    Duration pollInterval();

    @WithDefault("500")
    int batchSize();

    /** How long a batch waits for the broker's acks before it is rolled back and retried. */
    @WithDefault("30s")
    Duration sendTimeout();

    /** Sent rows are deleted after this long. */
    @WithDefault("P1D")
    Duration retention();

    /** The outbox health group is DOWN once the oldest unsent row is older than this. */
    @WithDefault("60s")
    Duration staleAfter();

    /** How often the backlog gauges are measured. */
    @WithDefault("5s")
    Duration backlogEvery();
}
