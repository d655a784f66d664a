package dev.tally.subscriptions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler's period.ended, delivered through the real broker, applied by this service. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "subscriptions"))
class PeriodEndTest {
    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @BeforeEach
    void catalog() throws Exception {
        publish(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1,
                List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publish(new PlanSnapshot("plus", 1, "Plus", "", 10, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 1000, "USD", null)),
                1000, BillingInterval.MONTH, 0, 1, List.of("pro-models"), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/catalog/plans").then().body("code", org.hamcrest.Matchers.hasItems("free", "plus")));
    }

    private void publish(PlanSnapshot plan) throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
    }

    private JsonPath subscription(String acc) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).get("/accounts/{id}/subscription", acc)
                .then().statusCode(200).extract().jsonPath();
    }

    private JsonPath started(String acc) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/subscription", acc).then().statusCode(200));
        return subscription(acc);
    }

    private void periodEnded(JsonPath s) throws Exception {
        var command = new PeriodEnded(UUID.fromString(s.getString("subscriptionId")), s.getString("accountId"),
                Instant.parse(s.getString("periodStart")), Instant.parse(s.getString("periodEnd")));
        TestEvents.publish(Events.PERIOD_ENDED, command.accountId(), command.accountId(), json.writeValueAsString(command));
    }

    private void sql(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aPeriodEndRenewsIntoTheNextPeriodAndARepeatOrLateCommandChangesNothing() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        JsonPath before = started(acc);
        periodEnded(before);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/subscription", acc).then().body("periodStart", equalTo(before.getString("periodEnd"))));
        long revision = subscription(acc).getLong("revision");
        periodEnded(before); // the same period again, as a new command: a repeat
        periodEnded(subscription(acc)); // then the next period: proves the repeat was consumed first
        await().atMost(Duration.ofSeconds(30)).until(() -> subscription(acc).getLong("revision") == revision + 1);
    }

    @Test
    void aCancelledSubscriptionRevertsToFreeAtThePeriodEnd() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        started(acc);
        sql("UPDATE subscription SET plan_code = 'plus', cancel_at_period_end = TRUE WHERE account_id = $1", acc);
        periodEnded(subscription(acc));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("free")).body("cancelAtPeriodEnd", equalTo(false)));
    }

    @Test
    void aPendingChangeIsAppliedAtThePeriodEndAndItsFirstPeriodIsCharged() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        JsonPath s = started(acc);
        sql("UPDATE subscription SET pending_change = $2::text::jsonb WHERE account_id = $1", acc,
                "{\"changeId\":\"" + UUID.randomUUID() + "\",\"planCode\":\"plus\",\"planVersion\":1,\"interval\":\"MONTH\","
                        + "\"timing\":\"END_OF_PERIOD\",\"effectiveAt\":\"" + s.getString("periodEnd") + "\"}");
        periodEnded(subscription(acc));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("plus")).body("pendingChange", equalTo(null)));
        long charged = pool.preparedQuery("SELECT COALESCE(SUM(amount_minor), 0) FROM charge WHERE account_id = $1").execute(Tuple.of(acc))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(1000, charged);
    }

    @Inject
    dev.tally.subscriptions.service.PeriodEndService periodEnds;

    @Test
    void aBatchOfSixHundredPeriodEndsWithARepeatAndAStaleOneRenewsEachSubscriptionOnce() throws Exception {
        String run = "acc-batch-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String template = "acc-" + UUID.randomUUID();
        started(template);
        sql("INSERT INTO subscription (id, account_id, plan_code, plan_version, billing_interval, status, period_anchor, period_start, "
                + "period_end, cancel_at_period_end, customer_balance_minor, customer_balance_currency, revision, created_at) "
                + "SELECT md5($1 || g)::uuid, $1 || g, 'plus', plan_version, billing_interval, status, period_anchor, period_start, period_end, "
                + "FALSE, 0, customer_balance_currency, revision, created_at FROM subscription, generate_series(0, 599) g WHERE account_id = $2",
                run, template);
        List<PeriodEnded> commands = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT id, account_id, period_start, period_end FROM subscription WHERE account_id LIKE $1").execute(Tuple.of(run + "%"))
                .await().atMost(Duration.ofSeconds(10)).forEach(r -> commands.add(new PeriodEnded(r.getUUID(0), r.getString(1),
                        r.getOffsetDateTime(2).toInstant(), r.getOffsetDateTime(3).toInstant())));
        long revision = started(template).getLong("revision");
        commands.add(commands.get(7)); // a repeat inside the batch
        PeriodEnded first = commands.get(0);
        commands.add(new PeriodEnded(first.subscriptionId(), first.accountId(), first.periodStart().minus(Duration.ofDays(31)),
                first.periodStart())); // a late command for the period before
        pool.withTransaction(c -> periodEnds.applyAll(Tx.of(c), commands)).await().atMost(Duration.ofSeconds(60));
        var counts = pool.preparedQuery("SELECT count(*), count(*) FILTER (WHERE revision = $2), "
                        + "(SELECT count(*) FROM charge WHERE account_id LIKE $1) FROM subscription WHERE account_id LIKE $1")
                .execute(Tuple.of(run + "%", revision + 1)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals(600, counts.getLong(0));
        assertEquals(600, counts.getLong(1), "every subscription renewed once");
        assertEquals(600, counts.getLong(2), "one charge line each");
        assertEquals(600, pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE type = 'subscription.renewed' AND subject LIKE $1")
                .execute(Tuple.of(run + "%")).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0));
    }
}
