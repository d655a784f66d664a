package dev.tally.scheduler;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.scheduler.firing.TimerFiring;
import dev.tally.scheduler.repository.TimerRepository;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
class TimersTest {
    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Inject
    TimerRepository timers;

    @Inject
    Outbox outbox;

    private void subscription(String acc, UUID id, Instant start, Instant end, Overage overage, long revision) throws Exception {
        var state = new SubscriptionState(id, acc, "pro", 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE, start, end,
                false, null, new CreditTerms(5000, BillingInterval.MONTH, 0, overage), List.of(), 5, revision);
        TestEvents.publish(Events.SUBSCRIPTION_RENEWED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @Test
    void aSubscriptionEventSetsItsTimersANewerRevisionMovesThemAndAnOlderOneDoesNot() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        Instant start = Instant.parse("2031-01-31T00:00:00Z");
        Instant end = Instant.parse("2031-02-28T00:00:00Z");
        subscription(acc, id, start, end, new Overage(Overage.Mode.BILL, 100, 1000, "USD"), 5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .get("/admin/timers?accountId=" + acc).then().statusCode(200).body("kind", equalTo(List.of("usage-close", "period-end")))
                .body("dueAt", equalTo(List.of("2031-02-25T00:00:00Z", "2031-02-28T00:00:00Z"))));
        Instant nextEnd = Instant.parse("2031-03-31T00:00:00Z");
        subscription(acc, id, end, nextEnd, Overage.block(), 6);
        subscription(acc, id, start, end, new Overage(Overage.Mode.BILL, 100, 1000, "USD"), 4); // older: ignored
        subscription(acc, id, end, nextEnd, Overage.block(), 6); // same revision again: ignored too
        String marker = "acc-" + UUID.randomUUID();
        subscription(marker, UUID.randomUUID(), start, end, Overage.block(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM timer WHERE account_id = $1", marker) == 1);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/timers?accountId=" + acc)
                .then().body("$", hasSize(1)).body("[0].dueAt", equalTo("2031-03-31T00:00:00Z"));
    }

    @Inject
    dev.tally.backbone.inbox.Inbox inbox;

    @Inject
    dev.tally.scheduler.consumer.SubscriptionTimers consumer;

    private static dev.tally.backbone.inbox.InboundEvent renewed(String acc, UUID id, Instant start, Instant end, Overage overage, long revision) {
        var state = new SubscriptionState(id, acc, "pro", 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE, start, end,
                false, null, new CreditTerms(5000, BillingInterval.MONTH, 0, overage), List.of(), 5, revision);
        return new dev.tally.backbone.inbox.InboundEvent(UUID.randomUUID().toString(), Events.SUBSCRIPTION_RENEWED, "/test", acc, start,
                new SubscriptionEvent(state, null));
    }

    @Test
    void aBatchWithSeveralStatesOfOneSubscriptionLeavesTheTimersOfItsNewestAndALaterOlderStateMovesNothing() {
        String a = "acc-" + UUID.randomUUID();
        String b = "acc-" + UUID.randomUUID();
        UUID idA = UUID.randomUUID();
        Instant jan = Instant.parse("2031-01-31T00:00:00Z");
        Instant feb = Instant.parse("2031-02-28T00:00:00Z");
        Instant mar = Instant.parse("2031-03-31T00:00:00Z");
        Overage bill = new Overage(Overage.Mode.BILL, 100, 1000, "USD");
        inbox.applyAllOnce("billing-scheduler", dev.tally.backbone.tx.Tx.Kind.CONNECTION, List.of(renewed(a, idA, jan, feb, bill, 5), renewed(b, UUID.randomUUID(), jan, feb, bill, 1),
                renewed(a, idA, feb, mar, Overage.block(), 7), renewed(a, idA, jan, feb, bill, 6)), consumer::apply)
                .await().atMost(Duration.ofSeconds(10));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/timers?accountId=" + a)
                .then().body("kind", equalTo(List.of("period-end"))).body("dueAt", equalTo(List.of("2031-03-31T00:00:00Z")));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/timers?accountId=" + b)
                .then().body("kind", equalTo(List.of("usage-close", "period-end")));
        inbox.applyAllOnce("billing-scheduler", dev.tally.backbone.tx.Tx.Kind.CONNECTION, List.of(renewed(a, idA, jan, feb, bill, 6)), consumer::apply).await().atMost(Duration.ofSeconds(10));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/timers?accountId=" + a)
                .then().body("dueAt", equalTo(List.of("2031-03-31T00:00:00Z")));
    }

    @Test
    void threeReplicasAndTheServiceItselfFireEachDueTimerExactlyOnce() {
        String run = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        int n = 2000;
        insertDue(run, n);
        var replicas = IntStream.range(0, 3).mapToObj(i -> new TimerFiring(run + "-replica-" + i, pool, timers, outbox)).toList();
        var results = replicas.stream().map(r -> r.fireAllDue(Instant.now(), Duration.ofSeconds(30), 100)
                .subscribeAsCompletionStage()).toList();
        results.forEach(f -> f.toCompletableFuture().join());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM timer WHERE account_id LIKE $1 AND fired_at IS NULL", run + "%") == 0);
        assertEquals(n, count("SELECT count(*) FROM outbox_event WHERE type = 'period.ended' AND subject LIKE $1", run + "%"));
        assertEquals(n, count("SELECT count(DISTINCT subject) FROM outbox_event WHERE type = 'period.ended' AND subject LIKE $1", run + "%"));
    }

    @Test
    void aReplicaThatDiesAfterClaimingLosesNothingTheTimersFireAfterItsLease() throws Exception {
        String run = "dead-" + UUID.randomUUID().toString().substring(0, 8);
        var dying = new TimerFiring(run + "-dying", pool, timers, outbox);
        // the timers come due and the dying replica claims them in one transaction, so the service's own
        // firing loop cannot take them first
        int claimed = pool.withTransaction(tx -> insertDue(tx, run, 50)
                        .flatMap(x -> timers.claimDue(tx, run + "-dying", Instant.now(), Duration.ofSeconds(2), 500)))
                .await().atMost(Duration.ofSeconds(10)).size();
        assertEquals(50, claimed, "the dying replica claimed them all");
        // it never fires them; after its 2 s lease the service's own firing loop takes them over
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM timer WHERE account_id LIKE $1 AND fired_at IS NULL", run + "%") == 0);
        assertEquals(50, count("SELECT count(*) FROM outbox_event WHERE type = 'period.ended' AND subject LIKE $1", run + "%"));
        assertEquals(0, dying.fire(List.of(), Instant.now()).await().atMost(Duration.ofSeconds(5)).size());
    }

    @Test
    void timersComeDueWhenTheClockIsMovedAndTheSummaryShowsTheirLag() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        Instant end = Instant.now().plus(Duration.ofDays(400));
        subscription(acc, UUID.randomUUID(), Instant.now(), end, Overage.block(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM timer WHERE account_id = $1", acc) == 1);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType("application/json")
                .body("{\"now\":\"" + end.plusSeconds(5) + "\"}").put("/admin/clock").then().statusCode(200);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM timer WHERE account_id = $1 AND fired_at IS NOT NULL", acc) == 1);
            given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/timers/summary").then().statusCode(200)
                    .body("lagSeconds", equalTo(0)).body("fired", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        } finally {
            given().header("Authorization", TestTokens.bearer(TestTokens.admin())).delete("/admin/clock").then().statusCode(200);
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    private void insertDue(String accountPrefix, int n) {
        insertDue(pool, accountPrefix, n).await().atMost(Duration.ofSeconds(30));
    }

    private io.smallrye.mutiny.Uni<Void> insertDue(io.vertx.mutiny.sqlclient.SqlClient client, String accountPrefix, int n) {
        return client.preparedQuery("INSERT INTO timer (subscription_id, account_id, kind, due_at, period_start, period_end) "
                        + "SELECT gen_random_uuid(), $1 || '-' || i, 'period-end', now() - interval '1 minute', now() - interval '1 month', "
                        + "now() - interval '1 minute' FROM generate_series(1, $2) i")
                .execute(Tuple.of(accountPrefix, n)).replaceWithVoid();
    }
}
