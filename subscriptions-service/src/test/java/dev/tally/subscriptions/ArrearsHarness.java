package dev.tally.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;

/** The catalog (Free, and Kong Plus and Pro billed in arrears), the neighbours' answers and the commands of the arrears tests. */
final class ArrearsHarness {
    private final ObjectMapper json;
    private final Pool pool;

    ArrearsHarness(ObjectMapper json, Pool pool) {
        this.json = json;
        this.pool = pool;
    }

    void catalogAndNeighbours() throws Exception {
        var stub = NeighboursStub.SERVER;
        stub.resetAll();
        publish(Events.PLAN_PUBLISHED, "free", new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH,
                100, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publish(Events.PLAN_PUBLISHED, "kong-plus", kong("kong-plus", 30, 1000));
        publish(Events.PLAN_PUBLISHED, "kong-pro", kong("kong-pro", 40, 3000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/catalog/plans").then()
                .body("code", Matchers.hasItems("free", "kong-plus", "kong-pro")));
        stub.stubFor(get(urlPathEqualTo("/change-policy")).willReturn(okJson("{\"direction\":\"DOWNGRADE\",\"allowedTimings\":"
                + "[\"IMMEDIATE\",\"IMMEDIATE_PRORATED\",\"END_OF_PERIOD\"],\"defaultTiming\":\"IMMEDIATE\",\"access\":\"SELF_SERVE\"}")));
        stub.stubFor(get(urlPathMatching("/accounts/.*/credits")).willReturn(okJson(
                "{\"accountId\":\"a\",\"available\":0,\"held\":0,\"byBucket\":{\"SUBSCRIPTION\":0}}")));
    }

    private static PlanSnapshot kong(String code, int rank, long price) {
        return new PlanSnapshot(code, 1, code, "", rank, true, false, List.of(new PlanPrice(BillingInterval.MONTH, price, "USD", null)),
                1000, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now(),
                BillingMode.IN_ARREARS);
    }

    void publish(EventType<?> type, String key, Object payload) throws Exception {
        TestEvents.publish(type, key, key, json.writeValueAsString(payload));
    }

    static RequestSpecification as() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    static Response post(String acc, String what, String body) {
        return as().header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/accounts/{id}/subscription/" + what, acc);
    }

    static JsonPath subscription(String acc) {
        return as().get("/accounts/{id}/subscription", acc).then().statusCode(200).extract().jsonPath();
    }

    void usageCloseDue(JsonPath s) throws Exception {
        Instant end = Instant.parse(s.getString("periodEnd"));
        publish(Events.USAGE_CLOSE_DUE, s.getString("accountId"), new UsageCloseDue(UUID.fromString(s.getString("subscriptionId")),
                s.getString("accountId"), Instant.parse(s.getString("periodStart")), end, end.minus(Duration.ofDays(3))));
    }

    void usageClosed(JsonPath s, long amountMinor) throws Exception {
        Instant end = Instant.parse(s.getString("periodEnd"));
        publish(Events.USAGE_CLOSED, s.getString("accountId"), new UsageClosed(UUID.fromString(s.getString("subscriptionId")),
                s.getString("accountId"), Instant.parse(s.getString("periodStart")), end, 0, amountMinor * 10, amountMinor, "USD",
                end.minus(Duration.ofDays(3))));
    }

    void periodEnded(JsonPath s) throws Exception {
        publish(Events.PERIOD_ENDED, s.getString("accountId"), new PeriodEnded(UUID.fromString(s.getString("subscriptionId")),
                s.getString("accountId"), Instant.parse(s.getString("periodStart")), Instant.parse(s.getString("periodEnd"))));
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    static JsonPath upcoming(String acc) {
        return as().get("/accounts/{id}/invoices/upcoming", acc).then().statusCode(200).extract().jsonPath();
    }
}
