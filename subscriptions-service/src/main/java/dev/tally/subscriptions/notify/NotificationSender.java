package dev.tally.subscriptions.notify;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.tx.Transactions;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends queued billing emails. Replicas share the queue with {@code FOR UPDATE SKIP LOCKED}
 * ({@link NotificationRepository#claimDue}); a row is marked sent in the session transaction that
 * sent it (its entity changed, written at the commit). A crash between the mail server's acceptance
 * and the commit sends that email again (at least once: email has no exactly-once). A failed send
 * is retried on the next round, up to 10 attempts.
 */
@ApplicationScoped
public class NotificationSender {
    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    private static final int MAX_ATTEMPTS = 10;
    private static final int BATCH = 50;
    private final Transactions transactions;
    private final NotificationRepository queue;
    private final ReactiveMailer mailer;
    private final TallyClock clock;

    public NotificationSender(Transactions transactions, NotificationRepository queue, ReactiveMailer mailer, TallyClock clock) {
        this.transactions = transactions;
        this.queue = queue;
        this.mailer = mailer;
        this.clock = clock;
    }

    @Scheduled(every = "${tally.notifications.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sendQueued() {
        return sendBatch().replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("sending billing emails failed, will retry: %s", e.toString());
                    return null;
                });
    }

    /** Sends up to 50 queued emails, in one session transaction; the number handled. */
    public Uni<Integer> sendBatch() {
        return transactions.inSession(tx -> queue.claimDue(MAX_ATTEMPTS, BATCH)
                .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::send)
                        .collect().asList().map(List::size)));
    }

    private Uni<Void> send(Notification queued) {
        if (queued.email == null) {
            return mark(queued, "no billing address on file");
        }
        return mailer.send(Mail.withText(queued.email, queued.subject, queued.body))
                .flatMap(x -> mark(queued, null))
                .onFailure().recoverWithUni(e -> {
                    queued.attempts++;
                    queued.lastError = e.toString();
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> mark(Notification queued, String note) {
        queued.sentAt = clock.instant();
        queued.attempts++;
        queued.lastError = note;
        return Uni.createFrom().voidItem();
    }
}
