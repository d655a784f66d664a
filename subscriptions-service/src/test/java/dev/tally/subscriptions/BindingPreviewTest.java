package dev.tally.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Confirming a preview applies what it promised: the money, credits, period and effective instant
 * quoted at the preview's instant, however much later (within its expiry) it is confirmed (issue 17).
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class BindingPreviewTest {
    private static final List<String> MONEY = List.of("creditForUnusedMinor", "chargeMinor", "dueMinor", "customerBalanceUsedMinor",
            "payNowMinor", "customerBalanceAfterMinor", "secondsLeft", "secondsInPeriod", "effectiveAt", "newPeriodStart", "newPeriodEnd");

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Inject
    TallyClock clock;

    @BeforeEach
    void catalogAndNeighbours() throws Exception {
        var stub = NeighboursStub.SERVER;
        stub.resetAll();
        publish(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publish(paid("plus", 10, 1000, 1000));
        publish(paid("pro", 20, 3000, 5000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(TestTokens.service()).get("/catalog/plans").then()
                .body("code", Matchers.hasItems("free", "plus", "pro")));
        TestPolicy.set(pool, TestPolicy.byDirection(dev.tally.contracts.subscriptions.ChangeDirection.UPGRADE,
                dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED, dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE,
                dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED));
        stub.stubFor(get(urlPathMatching("/accounts/.*/credits")).willReturn(okJson(
                "{\"accountId\":\"a\",\"available\":600,\"held\":0,\"byBucket\":{\"SUBSCRIPTION\":600}}")));
    }

    @AfterEach
    void runningClock() {
        clock.reset();
    }

    @Test
    void aPreviewConfirmedTenMinutesLaterAppliesTheMoneyCreditsAndInstantsItPromised() {
        String acc = "acc-" + UUID.randomUUID();
        JsonPath sub = change(acc, "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200).extract().jsonPath();
        Instant start = Instant.parse(sub.getString("newPeriodStart"));
        Instant end = Instant.parse(sub.getString("newPeriodEnd"));
        Instant half = start.plus(Duration.between(start, end).dividedBy(2));
        clock.set(half, true);
        JsonPath preview = post(acc, "previews", "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(half, Instant.parse(preview.getString("quotedAt")));
        assertEquals(600, preview.getLong("credits.kept"));
        assertEquals(2000, preview.getLong("credits.granted"), "(5000 - 1000) x 1/2");

        clock.advance(Duration.ofMinutes(10)); // 10 minutes of the period gone: re-quoted now, 1999 credits and fewer cents
        JsonPath confirmed = change(acc, "{\"previewId\":\"" + preview.getString("previewId") + "\"}").then().statusCode(200)
                .extract().jsonPath();
        for (String field : MONEY) {
            assertEquals(preview.getString(field), confirmed.getString(field), field + " as previewed");
        }
        assertEquals(half, Instant.parse(confirmed.getString("effectiveAt")));
        assertEquals(preview.getMap("credits"), confirmed.getMap("credits"), "the change answers the preview's credits block");
        var event = pool.preparedQuery("SELECT (payload->'change'->>'secondsLeft')::bigint, (payload->'change'->>'secondsInPeriod')::bigint "
                        + "FROM outbox_event WHERE subject = $1 AND type = $2 AND payload->'subscription'->>'planCode' = 'pro'")
                .execute(Tuple.of(acc, Events.SUBSCRIPTION_PLAN_CHANGED.name())).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals(preview.getLong("secondsLeft"), event.getLong(0), "credits-service prorates the preview's seconds");
        assertEquals(preview.getLong("secondsInPeriod"), event.getLong(1));
        long charged = pool.preparedQuery("SELECT coalesce(sum(amount_minor), 0) FROM charge WHERE account_id = $1 AND created_at = $2")
                .execute(Tuple.of(acc, java.time.OffsetDateTime.ofInstant(half, java.time.ZoneOffset.UTC)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(preview.getLong("dueMinor"), charged, "the charge lines, at the previewed instant, sum to the previewed due");
    }

    @Test
    void aChangeWithoutAPreviewIsQuotedAndAppliedAtOneInstantAndAnswersItsCredits() {
        String acc = "acc-" + UUID.randomUUID();
        change(acc, "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        JsonPath changed = change(acc, "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200)
                .extract().jsonPath();
        assertNotNull(changed.getMap("credits"), "the change carries the credits block");
        assertEquals(600, changed.getLong("credits.kept"));
        long expected = Math.multiplyExact(4000L, changed.getLong("secondsLeft")) / changed.getLong("secondsInPeriod");
        assertEquals(expected, changed.getLong("credits.granted"), "prorated credits round down, from the change's own seconds");
        assertEquals(changed.getString("quotedAt"), changed.getString("effectiveAt"), "quoted and applied at one instant");
    }

    @Test
    void aPreviewConfirmedAfterTheSubscriptionMovedIsRefused() {
        String acc = "acc-" + UUID.randomUUID();
        change(acc, "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        String id = post(acc, "previews", "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200)
                .extract().path("previewId");
        change(acc, "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        change(acc, "{\"previewId\":\"" + id + "\"}").then().statusCode(409).body("code", Matchers.equalTo("preview_stale"));
    }

    @Test
    void concurrentConfirmationsOfOnePreviewReachTheSameStateButOnlyOneIsApplied() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        change(acc, "{\"planCode\":\"plus\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        String id = post(acc, "previews", "{\"planCode\":\"pro\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200)
                .extract().path("previewId");
        var pool4 = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var calls = java.util.stream.IntStream.range(0, 4).mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> change(acc, "{\"previewId\":\"" + id + "\"}").statusCode(), pool4)).toList();
            assertEquals(List.of(200, 409, 409, 409), calls.stream().map(java.util.concurrent.CompletableFuture::join).sorted().toList());
        } finally {
            pool4.shutdown();
        }
        long lines = pool.preparedQuery("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'REMAINING_TIME'").execute(Tuple.of(acc))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(1, lines, "the proration is charged once");
    }

    private static PlanSnapshot paid(String code, int rank, long price, long credits) {
        return new PlanSnapshot(code, 1, code, "", rank, true, false, List.of(new PlanPrice(BillingInterval.MONTH, price, "USD", null)),
                credits, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", TestTokens.bearer(token)).contentType(ContentType.JSON);
    }

    private static Response change(String acc, String body) {
        return post(acc, "changes", body);
    }

    private static Response post(String acc, String what, String body) {
        return as(TestTokens.service()).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/accounts/{id}/subscription/" + what, acc);
    }

    private void publish(PlanSnapshot plan) throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
    }
}
