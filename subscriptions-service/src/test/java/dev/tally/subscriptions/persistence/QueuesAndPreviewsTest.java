package dev.tally.subscriptions.persistence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.tx.Transactions;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.NeighboursStub;
import dev.tally.subscriptions.notify.NotificationRepository;
import dev.tally.subscriptions.repository.PreviewRepository;
import dev.tally.subscriptions.service.ChangeQuoteView;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The billing-email queue on Panache (claimed with SKIP LOCKED, marked sent through the entity) and
 * previews kept as JSON through Hibernate.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class QueuesAndPreviewsTest {
    @Inject
    NotificationRepository queue;
    @Inject
    PreviewRepository previews;
    @Inject
    Transactions transactions;
    @Inject
    Pool pool;

    @Test
    void aQueuedEmailIsSentOnceAndMarkedSentOnItsRow() {
        String acc = "acc-" + UUID.randomUUID();
        long id = queued(acc, "billing@" + acc + ".example", 0).await().indefinitely();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals("sent 1 null",
                pool.preparedQuery("SELECT sent_at IS NOT NULL, attempts, last_error FROM notification WHERE id = $1").execute(Tuple.of(id))
                        .map(rows -> rows.iterator().next()).map(r -> (r.getBoolean(0) ? "sent " : "queued ") + r.getInteger(1) + " "
                                + r.getString(2)).await().indefinitely()));
    }

    @Test
    @RunOnVertxContext
    void aSenderSkipsTheEmailsAnotherSenderHoldsWithoutWaitingForThem(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        // ten attempts: past the scheduled sender's limit, so only this test's claim (limit 11) sees them
        AtomicLong held = new AtomicLong();
        AtomicLong free = new AtomicLong();
        asserter.execute(() -> queued(acc, "held@example.com", 10).invoke(held::set));
        asserter.execute(() -> queued(acc, "free@example.com", 10).invoke(free::set));
        AtomicReference<SqlConnection> other = new AtomicReference<>();
        asserter.execute(() -> pool.getConnection().invoke(other::set)
                .flatMap(c -> c.query("BEGIN").execute())
                .flatMap(x -> other.get().preparedQuery("SELECT id FROM notification WHERE id = $1 FOR UPDATE").execute(Tuple.of(held.get()))));
        asserter.assertThat(() -> transactions.inSession(tx -> queue.claimDue(11, 50))
                .map(claimed -> claimed.stream().map(n -> n.id).filter(n -> n == held.get() || n == free.get()).toList())
                .ifNoItem().after(Duration.ofSeconds(5)).fail(), claimed -> assertEquals(List.of(free.get()), claimed));
        asserter.execute(() -> other.get().query("ROLLBACK").execute().eventually(() -> other.get().close()));
    }

    @Test
    @RunOnVertxContext
    void aPreviewIsKeptAsAJsonDocumentAndReadBackWhole(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        Instant at = Instant.parse("2026-03-10T12:00:00Z");
        var quote = new ChangeQuoteView(UUID.randomUUID(), at, at.plusSeconds(900), "free", BillingInterval.MONTH, "plus", 2,
                BillingInterval.YEAR, ChangeDirection.UPGRADE, ChangeTiming.IMMEDIATE_PRORATED, List.of(ChangeTiming.IMMEDIATE_PRORATED),
                "USD", 120, 9900, 9780, 0, 9780, 0, at, at, at.plusSeconds(86400), 1000, 2000, null,
                new ChangeQuoteView.CreditsOutlook(10, 10, 500, 0, 0), List.of(), null, null);
        asserter.execute(() -> transactions.inSession(tx -> previews.save(tx, acc, 7, quote)));
        asserter.assertEquals(() -> previews.find(acc, quote.previewId()), Optional.of(new PreviewRepository.StoredPreview(7, quote)));
        asserter.assertEquals(() -> previews.find("someone-else", quote.previewId()), Optional.empty());
        asserter.assertEquals(() -> pool.preparedQuery("SELECT jsonb_typeof(preview), preview->>'toPlan' FROM change_preview WHERE id = $1")
                .execute(Tuple.of(quote.previewId())).map(rows -> rows.iterator().next()).map(r -> r.getString(0) + " " + r.getString(1)),
                "object plus");
    }

    private Uni<Long> queued(String acc, String email, int attempts) {
        return pool.preparedQuery("INSERT INTO notification (account_id, kind, email, subject, body, created_at, attempts) "
                        + "VALUES ($1, 'test', $2, 'subject', 'body', now(), $3) RETURNING id")
                .execute(Tuple.of(acc, email, attempts)).map(rows -> rows.iterator().next().getLong(0));
    }

}
