package dev.tally.subscriptions.notify;

import dev.tally.backbone.clock.TallyClock;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends queued billing emails. Replicas share the queue with {@code FOR UPDATE SKIP LOCKED}; a row
 * is marked sent in the transaction that sent it. A crash between the mail server's acceptance and
 * the commit sends that email again (at least once: email has no exactly-once). A failed send is
 * retried on the next round, up to 10 attempts.
 */
@ApplicationScoped
public class NotificationSender {
    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    private static final int MAX_ATTEMPTS = 10;
    private final Pool pool;
    private final ReactiveMailer mailer;
    private final TallyClock clock;

    public NotificationSender(Pool pool, ReactiveMailer mailer, TallyClock clock) {
        this.pool = pool;
        this.mailer = mailer;
        this.clock = clock;
    }

    @Scheduled(every = "${tally.notifications.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sendQueued() {
        return pool.withTransaction(this::sendBatch).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("sending billing emails failed, will retry: %s", e.toString());
                    return null;
                });
    }

    /** Sends up to 50 queued emails; the number handled. */
    public Uni<Integer> sendBatch(SqlConnection tx) {
        return tx.preparedQuery("SELECT id, email, subject, body, attempts FROM notification WHERE sent_at IS NULL AND attempts < $1 "
                        + "ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(MAX_ATTEMPTS))
                .flatMap(rows -> {
                    List<Row> due = new ArrayList<>();
                    rows.forEach(due::add);
                    return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(row -> send(tx, row).replaceWith(row.getLong("id")))
                            .collect().asList().map(List::size);
                });
    }

    private Uni<Void> send(SqlConnection tx, Row row) {
        long id = row.getLong("id");
        String email = row.getString("email");
        if (email == null) {
            return mark(tx, id, "no billing address on file");
        }
        return mailer.send(Mail.withText(email, row.getString("subject"), row.getString("body")))
                .flatMap(x -> mark(tx, id, null))
                .onFailure().recoverWithUni(e -> tx.preparedQuery("UPDATE notification SET attempts = attempts + 1, last_error = $2 WHERE id = $1")
                        .execute(Tuple.of(id, e.toString())).replaceWithVoid());
    }

    private Uni<Void> mark(SqlConnection tx, long id, String note) {
        return tx.preparedQuery("UPDATE notification SET sent_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1")
                .execute(Tuple.of(id, clock.instant().atOffset(ZoneOffset.UTC), note)).replaceWithVoid();
    }
}
