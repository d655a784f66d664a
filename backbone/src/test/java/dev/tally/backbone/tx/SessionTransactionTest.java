package dev.tally.backbone.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.NoteEntity;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A change made through Panache and its outbox rows, inbox record and stored answer commit in the
 * session's one transaction, or not at all.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class SessionTransactionTest {
    @Inject
    Transactions transactions;
    @Inject
    Outbox outbox;
    @Inject
    Inbox inbox;
    @Inject
    IdempotentRequests idempotency;
    @Inject
    Pool pool;

    @Test
    @RunOnVertxContext
    void anEntityAndItsEventsCommitTogetherAndTheEventsAreInTheSessionsOwnTransaction(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        asserter.assertEquals(() -> transactions.inSession(tx -> note(acc, "one").persist()
                .chain(() -> outbox.add(tx, event(acc)))
                .chain(() -> outbox.addAll(tx, List.of(event(acc), event(acc), event(acc))))
                // inside: the session sees its rows; the pool (another connection) does not yet
                .chain(() -> tx.rows("SELECT count(*) FROM outbox_event WHERE subject = $1", acc))
                .flatMap(inside -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", acc)
                        .map(outside -> inside.get(0)[0] + "/" + outside))), "4/0");
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", acc), 4L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM note WHERE account_id = $1", acc), 1L);
        // the events of one addAll are in the order given (the relay publishes in seq order)
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event a JOIN outbox_event b ON a.seq < b.seq "
                + "WHERE a.subject = $1 AND b.subject = $1 AND a.occurred_at > b.occurred_at", acc), 0L);
    }

    @Test
    @RunOnVertxContext
    void aFailureAfterTheOutboxWriteRollsBackTheEntityAndItsEvents(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        asserter.assertFailedWith(() -> transactions.inSession(tx -> note(acc, "gone").persist()
                .chain(() -> outbox.add(tx, event(acc)))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("after the writes")))), IllegalStateException.class);
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", acc), 0L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM note WHERE account_id = $1", acc), 0L);
    }

    @Test
    @RunOnVertxContext
    void anEventAppliedInASessionIsRecordedWithItsChangeOnceAndNotWhenTheHandlerFails(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        InboundEvent event = new InboundEvent(UUID.randomUUID().toString(), Events.PERIOD_ENDED, "test", acc, Instant.now(), null);
        asserter.assertFailedWith(() -> inbox.applyOnce("session-test", Tx.Kind.SESSION, event, (tx, e) -> note(acc, "failed").persist()
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("handler failed")))), IllegalStateException.class);
        asserter.assertEquals(() -> count("SELECT count(*) FROM inbox_event WHERE event_id = $1", event.id()), 0L);
        asserter.assertEquals(() -> inbox.applyOnce("session-test", Tx.Kind.SESSION, event,
                (tx, e) -> note(acc, "applied").persist().chain(() -> outbox.add(tx, event(acc)))), true);
        asserter.assertEquals(() -> inbox.applyOnce("session-test", Tx.Kind.SESSION, event,
                (tx, e) -> note(acc, "again").persist().replaceWithVoid()), false);
        asserter.assertEquals(() -> count("SELECT count(*) FROM note WHERE account_id = $1", acc), 1L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM outbox_event WHERE subject = $1", acc), 1L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM inbox_event WHERE event_id = $1", event.id()), 1L);
    }

    @Test
    @RunOnVertxContext
    void aRequestRunInASessionStoresItsAnswerWithItsChangeAndIsReplayed(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        asserter.assertEquals(() -> idempotency.run(Tx.Kind.SESSION, acc, key, List.of("POST", "note"), tx -> {
            NoteEntity note = note(acc, "kept");
            return note.persist().chain(() -> outbox.add(tx, event(acc))).replaceWith(Answer.created(note.text));
        }).map(stored -> stored.status() + " " + stored.body() + " " + stored.replayed()), "201 \"kept\" false");
        asserter.assertEquals(() -> idempotency.run(Tx.Kind.SESSION, acc, key, List.of("POST", "note"),
                        tx -> note(acc, "twice").persist().replaceWith(Answer.created("twice")))
                .map(stored -> stored.status() + " " + stored.body() + " " + stored.replayed()), "201 \"kept\" true");
        asserter.assertEquals(() -> count("SELECT count(*) FROM note WHERE account_id = $1", acc), 1L);
        asserter.assertEquals(() -> count("SELECT count(*) FROM idempotency_key WHERE scope = $1 AND state = 'DONE'", acc), 1L);
    }

    @Test
    void placeholdersBecomeHibernatesOrdinalsWithACastKeptApart() {
        assertEquals("SELECT ?1 ::text::jsonb, ?12, ANY(?2)", Tx.ordinal("SELECT $1::text::jsonb, $12, ANY($2)"));
    }

    private Uni<Long> count(String sql, String param) {
        return pool.preparedQuery(sql).execute(io.vertx.mutiny.sqlclient.Tuple.of(param)).map(rows -> rows.iterator().next().getLong(0));
    }

    private static NoteEntity note(String acc, String text) {
        NoteEntity note = new NoteEntity();
        note.accountId = acc;
        note.text = text;
        note.amount = 1;
        return note;
    }

    private static OutgoingEvent<PeriodEnded> event(String acc) {
        return OutgoingEvent.forAccount(Events.PERIOD_ENDED, acc,
                new PeriodEnded(UUID.randomUUID(), acc, Instant.EPOCH, Instant.now()), Instant.now());
    }
}
