package dev.tally.subscriptions.persistence;

import dev.tally.backbone.tx.Transactions;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.SubscriptionState.Status;
import dev.tally.subscriptions.NeighboursStub;
import dev.tally.subscriptions.contact.BillingContactRepository;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.CustomerBalance;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.PendingChange;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.repository.SubscriptionRecordRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Panache repositories against the real migrated database: the statements Hibernate writes
 * for them (HQL upserts, JSON columns) and what the native paths read back of them, and back.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class EntityRepositoriesTest {
    @Inject
    BillingContactRepository contacts;
    @Inject
    SubscriptionRecordRepository records;
    @Inject
    SubscriptionRepository nativeSubscriptions;
    @Inject
    Transactions transactions;
    @Inject
    Pool pool;

    @Test
    @RunOnVertxContext
    void settingABillingContactAgainReplacesItInOneRow(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        asserter.execute(() -> Panache.withTransaction(() -> contacts.put(acc, "first@example.com", at)));
        asserter.execute(() -> Panache.withTransaction(() -> contacts.put(acc, "second@example.com", at.plusSeconds(60))));
        asserter.assertEquals(() -> Panache.withSession(() -> contacts.findById(acc)).map(c -> c.email + " " + c.updatedAt),
                "second@example.com 2026-03-01T10:01:00Z");
        asserter.assertEquals(() -> count("SELECT count(*) FROM account_contact WHERE account_id = $1", acc), 1L);
    }

    @Test
    @RunOnVertxContext
    void aSubscriptionIsInsertedOnceAndReadBackAsTheDomainSavedIt(UniAsserter asserter) {
        String acc = "acc-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        var period = new BillingPeriod(start, start.plus(31, ChronoUnit.DAYS));
        var started = new Subscription(UUID.randomUUID(), acc, "free", 1, BillingInterval.MONTH, Status.ACTIVE, start, period, false,
                null, new CustomerBalance(new Money(0, "USD")), 1);
        asserter.assertEquals(() -> transactions.inSession(tx -> records.insertIfAbsent(started, start)), true);
        var again = new Subscription(UUID.randomUUID(), acc, "free", 1, BillingInterval.MONTH, Status.ACTIVE, start, period, false,
                null, new CustomerBalance(new Money(0, "USD")), 1);
        asserter.assertEquals(() -> transactions.inSession(tx -> records.insertIfAbsent(again, start)), false);
        asserter.assertEquals(() -> Panache.withSession(() -> records.subscription(acc)), Optional.of(started));
        // a change saved by the native path (pending change and balance: JSON and numbers) reads back through the entity
        var changed = new Subscription(started.id(), acc, "free", 1, BillingInterval.MONTH, Status.ACTIVE, start, period, false,
                new PendingChange(UUID.randomUUID(), "plus", 3, BillingInterval.YEAR, period.end()),
                new CustomerBalance(new Money(1250, "EUR")), 2);
        asserter.execute(() -> pool.withTransaction(c -> nativeSubscriptions.save(c, changed)));
        asserter.assertEquals(() -> Panache.withSession(() -> records.subscription(acc)), Optional.of(changed));
    }

    private Uni<Long> count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> rows.iterator().next().getLong(0));
    }
}
