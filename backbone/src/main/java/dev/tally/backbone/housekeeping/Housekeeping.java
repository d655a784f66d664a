package dev.tally.backbone.housekeeping;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Forgets what no longer needs remembering: Idempotency-Keys past their retention, and applied
 * event ids older than the inbox retention (longer than any redelivery the topics allow).
 */
@ApplicationScoped
public class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final Pool pool;
    private final Duration inboxRetention;

    public Housekeeping(Pool pool, @ConfigProperty(name = "tally.inbox.retention", defaultValue = "P14D") Duration inboxRetention) {
        this.pool = pool;
        this.inboxRetention = inboxRetention;
    }

    @Scheduled(every = "${tally.housekeeping.every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        return pool.query("DELETE FROM idempotency_key WHERE expires_at < clock_timestamp()").execute()
                .flatMap(keys -> pool.preparedQuery("DELETE FROM inbox_event WHERE applied_at < clock_timestamp() - $1 * interval '1 second'")
                        .execute(Tuple.of(inboxRetention.toSeconds()))
                        .invoke(events -> LOG.debugf("forgot %d idempotency keys and %d applied event ids",
                                keys.rowCount(), events.rowCount())))
                .replaceWithVoid();
    }
}
