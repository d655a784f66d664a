package dev.tally.backbone.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many outbox rows wait unsent and how old the oldest is, measured every few seconds (and on
 * each outbox health call) with one cheap statement on the reactive pool: the count reads the
 * partial index of unsent rows, the oldest is the unsent row of lowest seq. Exposed as the gauges
 * {@code tally_outbox_backlog} and {@code tally_outbox_oldest_unsent_age_seconds}.
 */
@ApplicationScoped
public class OutboxBacklog {
    private static final String MEASURE = "SELECT (SELECT count(*) FROM outbox_event WHERE sent_at IS NULL), "
            + "(SELECT extract(epoch FROM clock_timestamp() - created_at)::float8 FROM outbox_event "
            + "WHERE sent_at IS NULL ORDER BY seq LIMIT 1)";

    /** One measurement; {@code error} is why the last one failed (the figures are then the last good ones). */
    public record Measure(long backlog, double oldestAgeSeconds, String error) {
    }

    private final Pool pool;
    private volatile Measure last = new Measure(0, 0, "not measured yet");

    public OutboxBacklog(Pool pool, MeterRegistry metrics) {
        this.pool = pool;
        Gauge.builder("tally.outbox.backlog", this, b -> b.last.backlog())
                .description("outbox rows committed and not yet published").register(metrics);
        Gauge.builder("tally.outbox.oldest.unsent.age", this, b -> b.last.oldestAgeSeconds()).baseUnit("seconds")
                .description("age of the oldest outbox row not yet published (0 when none waits)").register(metrics);
    }

    public Measure last() {
        return last;
    }

    @Scheduled(every = "${tally.outbox.backlog-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshOnSchedule() {
        return measure().replaceWithVoid();
    }

    /** Measures now; a failure (the database away) keeps the last figures and says why. */
    public Uni<Measure> measure() {
        return pool.query(MEASURE).execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Double age = row.getDouble(1);
                    return new Measure(row.getLong(0), age == null ? 0 : age, null);
                })
                .onFailure().recoverWithItem(e -> new Measure(last.backlog(), last.oldestAgeSeconds(), e.toString()))
                .invoke(m -> last = m);
    }
}
