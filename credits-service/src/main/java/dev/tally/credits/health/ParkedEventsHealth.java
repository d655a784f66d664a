package dev.tally.credits.health;

import dev.tally.credits.service.ParkedEventsMonitor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /q/health/group/parked-events}: down while an event has waited for a missing predecessor
 * longer than {@code tally.credits.parked-alarm-after}. Not readiness: the service serves and
 * applies everything else meanwhile; someone has to replay the missing event.
 */
@HealthGroup("parked-events")
@ApplicationScoped
public class ParkedEventsHealth implements AsyncHealthCheck {
    private final ParkedEventsMonitor monitor;

    public ParkedEventsHealth(ParkedEventsMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return monitor.status().map(s -> HealthCheckResponse.named("parked-events").withData("parked", s.count())
                .withData("oldestAgeSeconds", s.oldestAgeSeconds()).status(!s.stuck()).build());
    }
}
