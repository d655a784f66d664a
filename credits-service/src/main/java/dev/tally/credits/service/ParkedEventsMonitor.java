package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.repository.ParkedEvents;
import dev.tally.credits.repository.ParkedEvents.Backlog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Watches the events that wait for an earlier one (ParkedEvents). A wait normally ends within
 * seconds, when the event before arrives; one that lasts means that event is missing (it went to a
 * dead-letter topic, or was never published), and what waits behind it is not applied, by design:
 * never out of order. Metrics {@code tally_credits_parked_events} (how many) and
 * {@code tally_credits_parked_events_oldest_age_seconds}; a warning in the log while the oldest
 * has waited longer than {@code tally.credits.parked-alarm-after}; the health group {@code parked-events}.
 */
@ApplicationScoped
public class ParkedEventsMonitor {
    private static final Logger LOG = Logger.getLogger(ParkedEventsMonitor.class);
    private final Pool pool;
    private final ParkedEvents parked;
    private final TallyClock clock;
    private final Duration alarmAfter;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    public ParkedEventsMonitor(Pool pool, ParkedEvents parked, TallyClock clock, MeterRegistry metrics,
                               @ConfigProperty(name = "tally.credits.parked-alarm-after", defaultValue = "PT5M") Duration alarmAfter) {
        this.pool = pool;
        this.parked = parked;
        this.clock = clock;
        this.alarmAfter = alarmAfter;
        Gauge.builder("tally.credits.parked.events", count, AtomicLong::get)
                .description("events waiting for an earlier event of their account before they can be applied").register(metrics);
        Gauge.builder("tally.credits.parked.events.oldest.age", oldestAgeSeconds, AtomicLong::get).baseUnit("seconds")
                .description("how long the oldest parked event has waited").register(metrics);
    }

    /** The backlog now, with whether its oldest has waited too long. */
    public record Status(long count, long oldestAgeSeconds, boolean stuck) {
    }

    public Uni<Status> status() {
        return parked.backlog(pool).map(this::status);
    }

    @Scheduled(every = "${tally.credits.parked-check-every:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return status().invoke(s -> {
            count.set(s.count());
            oldestAgeSeconds.set(s.oldestAgeSeconds());
            if (s.stuck()) {
                LOG.warnf("%d events wait for an earlier event of their account; the oldest for %d s. Its predecessor is missing "
                        + "(dead-lettered?): replay it from the dead-letter topic; what waits is not applied out of order",
                        s.count(), s.oldestAgeSeconds());
            }
        }).onFailure().invoke(e -> LOG.debugf("parked events not checked: %s", e.toString())).onFailure().recoverWithNull().replaceWithVoid();
    }

    private Status status(Backlog b) {
        long age = b.oldest() == null ? 0 : Math.max(0, Duration.between(b.oldest(), clock.instant()).toSeconds());
        return new Status(b.count(), age, b.count() > 0 && age > alarmAfter.toSeconds());
    }
}
