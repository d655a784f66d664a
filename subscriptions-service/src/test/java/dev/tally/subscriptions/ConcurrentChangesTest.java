package dev.tally.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * With the local sandbox: a change is decided while plans-service answers, with no row locked, so
 * another request can change the subscription meanwhile; the change then finds the revision moved
 * when it locks the row and is refused (409 {@code subscription_changed}) instead of being applied
 * to a subscription it was not decided on.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class ConcurrentChangesTest {
    @Inject
    ObjectMapper json;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aCancelMadeWhileCreditsServiceAnswersIsSeenWhenTheChangeLocksTheRow() throws Exception {
        var stub = NeighboursStub.SERVER;
        stub.resetAll();
        for (var plan : List.of(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()), paid("plus", 10, 1000, 1000), paid("pro", 20, 3000, 5000))) {
            TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/catalog/plans").then()
                .body("code", Matchers.hasItems("free", "plus", "pro")));
        TestPolicy.set(pool); // the default table: an upgrade now, a downgrade at the period end
        String acc = "acc-" + UUID.randomUUID();
        post(acc, "changes", "{\"planCode\":\"pro\"}").then().statusCode(200);
        stub.stubFor(get(urlPathMatching("/accounts/.*/credits")).willReturn(okJson(
                "{\"accountId\":\"a\",\"available\":0,\"held\":0,\"byBucket\":{\"SUBSCRIPTION\":0}}").withFixedDelay(1500)));
        stub.resetRequests();

        var downgrade = CompletableFuture.supplyAsync(() -> post(acc, "changes", "{\"planCode\":\"plus\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !stub.findAll(getRequestedFor(urlPathMatching("/accounts/.*/credits"))).isEmpty());
        post(acc, "cancel", null).then().statusCode(200).body("cancelAtPeriodEnd", Matchers.equalTo(true)); // not kept waiting
        Response answer = downgrade.get();

        assertEquals(409, answer.statusCode(), answer.asString());
        assertEquals("subscription_changed", answer.jsonPath().getString("code"));
        as().get("/accounts/{id}/subscription", acc).then().body("planCode", Matchers.equalTo("pro"))
                .body("cancelAtPeriodEnd", Matchers.equalTo(true)).body("pendingChange", Matchers.nullValue());
    }

    private static PlanSnapshot paid(String code, int rank, long price, long credits) {
        return new PlanSnapshot(code, 1, code, "", rank, true, false, List.of(new PlanPrice(BillingInterval.MONTH, price, "USD", null)),
                credits, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
    }

    private static io.restassured.specification.RequestSpecification as() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    private static Response post(String acc, String what, String body) {
        var r = as().header("Idempotency-Key", UUID.randomUUID().toString());
        return (body == null ? r : r.body(body)).post("/accounts/{id}/subscription/" + what, acc);
    }
}
