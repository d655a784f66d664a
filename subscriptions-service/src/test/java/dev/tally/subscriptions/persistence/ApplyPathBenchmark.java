package dev.tally.subscriptions.persistence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.tx.Transactions;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.subscriptions.NeighboursStub;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.repository.HistoryEntry;
import dev.tally.subscriptions.repository.SubscriptionHistory;
import dev.tally.subscriptions.repository.SubscriptionRecord;
import dev.tally.subscriptions.repository.SubscriptionRecordRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.service.SubscriptionService;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a timed test: runs only with {@code -Dtally.bench=apply}. The writes a plan change
 * makes once it is decided (the subscription saved if still at its revision, its history entry,
 * its event in the outbox), in one transaction, two ways: on a pooled connection with the native
 * statements the apply path uses ({@link SubscriptionRepository#saveIfUnmoved}, {@link
 * SubscriptionHistory#record}; the row read before the transaction, as a change is decided), and on
 * a Hibernate Reactive session through Panache's entities (the row found with {@code
 * PESSIMISTIC_WRITE} in the transaction, changed, a {@link HistoryEntry} persisted, flushed before
 * the outbox's native insert): six statements each, BEGIN and COMMIT included. Closed loop, {@code tally.bench.concurrency} accounts at a time, the
 * two interleaved over three rounds; prints changes/s of each and their ratio.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
@EnabledIfSystemProperty(named = "tally.bench", matches = "apply")
class ApplyPathBenchmark {
    private static final int CONCURRENCY = Integer.getInteger("tally.bench.concurrency", 16);
    private static final int CHANGES = Integer.getInteger("tally.bench.changes", 3_000);
    @Inject
    Transactions transactions;
    @Inject
    SubscriptionService lifecycle;
    @Inject
    SubscriptionRepository subscriptions;
    @Inject
    SubscriptionRecordRepository records;
    @Inject
    SubscriptionHistory history;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper json;

    @Test
    void nativeConnectionAgainstPanacheSession() throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, "free", "free", json.writeValueAsString(new PlanSnapshot("free", 1, "Free", "", 0, true,
                true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/catalog/plans").then().body("code", Matchers.hasItems("free")));
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            String acc = "acc-bench-" + UUID.randomUUID();
            transactions.inSession(tx -> lifecycle.start(tx, acc)).await().atMost(Duration.ofSeconds(30));
            accounts.add(acc);
        }
        long before = revisions(accounts);
        List<Double> natives = new ArrayList<>();
        List<Double> sessions = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            natives.add(closedLoop(accounts, this::onConnection));
            sessions.add(closedLoop(accounts, this::inSession));
            System.out.printf("round %d: native connection Tx %,.0f changes/s; Panache session Tx %,.0f changes/s%n", round + 1,
                    natives.get(round), sessions.get(round));
        }
        double n = natives.stream().sorted().toList().get(1);
        double s = sessions.stream().sorted().toList().get(1);
        System.out.printf("%nAPPLY PATH (%d in flight, %,d changes a round, medians of 3): native %,.0f/s, Panache %,.0f/s, "
                + "Panache / native %.2f%n", CONCURRENCY, CHANGES, n, s, s / n);
        assertEquals(before + 6L * (CHANGES / CONCURRENCY) * CONCURRENCY, revisions(accounts), "every change applied once");
    }

    private long revisions(List<String> accounts) {
        return pool.preparedQuery("SELECT sum(revision) FROM subscription WHERE account_id = ANY($1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(accounts.toArray(String[]::new))).await().indefinitely().iterator().next()
                .getLong(0);
    }

    private interface Apply {
        Uni<Void> change(String accountId);
    }

    private double closedLoop(List<String> accounts, Apply apply) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(accounts.size());
        List<Future<?>> all = new ArrayList<>();
        long started = System.nanoTime();
        for (String acc : accounts) {
            all.add(workers.submit(() -> {
                for (int i = 0; i < CHANGES / accounts.size(); i++) {
                    apply.change(acc).await().atMost(Duration.ofSeconds(30));
                }
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        workers.shutdown();
        return (CHANGES / accounts.size()) * accounts.size() / ((System.nanoTime() - started) / 1e9);
    }

    /** The apply path's statements: conditional save, history entry, outbox row. */
    private Uni<Void> onConnection(String acc) {
        return subscriptions.find(pool, acc).map(found -> found.orElseThrow()).flatMap(before -> {
            Subscription after = next(before);
            return transactions.onConnection(tx -> subscriptions.saveIfUnmoved(tx.connection(), after, before).flatMap(saved -> {
                if (!saved) {
                    return Uni.createFrom().failure(new IllegalStateException("moved"));
                }
                return history.record(tx.connection(), acc, after.id(), entry(after))
                        .call(x -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_RESUMED, null)).replaceWithVoid();
            }));
        });
    }

    /** The same writes through Panache: the entity locked, changed and a history entity persisted, flushed by the outbox's insert. */
    private Uni<Void> inSession(String acc) {
        return transactions.inSession(tx -> records.find("accountId", acc).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .flatMap((SubscriptionRecord row) -> {
                    Subscription after = next(records.toDomain(row));
                    row.revision = after.revision();
                    row.cancelAtPeriodEnd = after.cancelAtPeriodEnd();
                    var e = entry(after);
                    HistoryEntry h = new HistoryEntry();
                    h.accountId = acc;
                    h.subscriptionId = after.id();
                    h.revision = e.revision();
                    h.kind = e.kind();
                    h.fromPlan = e.fromPlan();
                    h.toPlan = e.toPlan();
                    h.toInterval = e.toInterval();
                    h.timing = e.timing();
                    h.recordedAt = e.at();
                    return tx.session().persist(h).call(x -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_RESUMED, null));
                })).replaceWithVoid();
    }

    private static Subscription next(Subscription s) {
        return new Subscription(s.id(), s.accountId(), s.planCode(), s.planVersion(), s.interval(), s.status(), s.anchor(), s.period(),
                !s.cancelAtPeriodEnd(), s.pending().orElse(null), s.balance(), s.revision() + 1, s.accrual());
    }

    private static SubscriptionHistory.Entry entry(Subscription after) {
        return new SubscriptionHistory.Entry(after.revision(), "change-scheduled", after.planCode(), after.planCode(),
                after.interval().name(), "END_OF_PERIOD", null, null, Instant.now());
    }
}
