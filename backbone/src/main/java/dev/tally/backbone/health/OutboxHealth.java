package dev.tally.backbone.health;

import dev.tally.backbone.outbox.OutboxConfig;
import dev.tally.backbone.outbox.OutboxRelay;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The relay's own health, at {@code /q/health/group/outbox}: neither readiness nor liveness, since a
 * service whose broker is away still serves reads and commits writes (their events wait in the
 * outbox). DOWN when the relay does not run, when the oldest unsent row is older than
 * {@code tally.outbox.stale-after} (default 60 s: the broker has been unreachable about that long),
 * or when the backlog cannot be measured; its data say how many rows wait, how old the oldest is,
 * and when the broker last acked a row.
 */
@HealthGroup("outbox")
@ApplicationScoped
public class OutboxHealth implements AsyncHealthCheck {
    private final OutboxBacklog backlog;
    private final OutboxRelay relay;
    private final Duration staleAfter;

    public OutboxHealth(OutboxBacklog backlog, OutboxRelay relay, OutboxConfig config) {
        this.backlog = backlog;
        this.relay = relay;
        this.staleAfter = config.staleAfter();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return backlog.measure().map(m -> {
            boolean fresh = m.oldestAgeSeconds() <= staleAfter.toMillis() / 1000.0;
            var response = HealthCheckResponse.named("outbox")
                    .withData("backlog", m.backlog())
                    .withData("oldestUnsentAgeSeconds", Math.round(m.oldestAgeSeconds()))
                    .withData("staleAfterSeconds", staleAfter.toSeconds())
                    .withData("relayRunning", relay.isRunning())
                    .withData("published", relay.publishedCount())
                    .withData("lastBrokerAck", relay.lastAck() == null ? "never" : relay.lastAck().toString());
            if (relay.lastFailure() != null) {
                response.withData("lastFailure", relay.lastFailure());
            }
            if (m.error() != null) {
                response.withData("measureError", m.error());
            }
            return response.status(relay.isRunning() && fresh && m.error() == null).build();
        });
    }
}
