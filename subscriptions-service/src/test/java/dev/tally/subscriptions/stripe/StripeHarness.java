package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestStripe;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;

/**
 * What tests of the Stripe mode share: the free, plus and pro plans (Stripe prices), the Stripe stub
 * answering customers, checkout sessions and subscription updates, an account subscribed to plus
 * through Checkout, and webhooks signed the way Stripe signs them.
 */
abstract class StripeHarness {
    static final String SUCCESS = "\"successUrl\":\"https://app.example.com/ok\",\"cancelUrl\":\"https://app.example.com/back\"";
    static final WireMockServer STRIPE = StripeStub.SERVER;

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @BeforeEach
    void plansAndStubs() throws Exception {
        STRIPE.resetAll();
        publish(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publish(new PlanSnapshot("plus", 1, "Plus", "", 10, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 1000, "USD", "price_plus_month")),
                1000, BillingInterval.MONTH, 0, 1, List.of("pro-models"), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publish(new PlanSnapshot("pro", 1, "Pro", "", 20, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 3000, "USD", "price_pro_month")),
                5000, BillingInterval.MONTH, 0, 5, List.of("pro-models"), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/catalog/plans").then()
                .body("code", Matchers.hasItems("free", "plus", "pro")));
        TestStripe.answerCustomersAndCheckouts();
        STRIPE.stubFor(post(urlPathMatching("/v1/subscriptions/.*")).willReturn(okJson(subscriptionJson("sub_test_1", "active"))));
        STRIPE.stubFor(get(urlPathMatching("/v1/subscriptions/.*")).atPriority(9).willReturn(okJson( // read when a Checkout completes
                StripeHarness.subscriptionInPeriod("sub_test_1", Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofDays(30))))));
        dev.tally.subscriptions.TestPolicy.set(pool); // the default table
    }

    /** An account on plus, paid through a Stripe Checkout, with the Stripe subscription's item known. */
    String subscribedThroughStripe(String subscriptionId) throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String session = service().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"planCode\":\"plus\",\"interval\":\"MONTH\"," + SUCCESS + "}").post("/accounts/{id}/checkout-sessions", acc)
                .then().statusCode(201).extract().path("id");
        String completed = event("checkout.session.completed.subscription.json", Instant.now(),
                o -> o.put("id", session).put("subscription", subscriptionId));
        webhook(completed);
        subscriptionEvent(acc, subscriptionId, "active", Instant.now().minusSeconds(60), o -> { });
        STRIPE.resetRequests();
        return acc;
    }

    /** A {@code customer.subscription.updated} of the account's plus subscription, edited by {@code edit}. */
    void subscriptionEvent(String acc, String subscriptionId, String status, Instant created, Consumer<ObjectNode> edit) throws Exception {
        String event = event("customer.subscription.updated.past-due.json", created, o -> {
            o.put("id", subscriptionId).put("status", status).put("cancel_at_period_end", false);
            ((ObjectNode) o.path("metadata")).put("account_id", acc);
            ObjectNode item = (ObjectNode) o.path("items").path("data").path(0);
            item.put("id", "si_test_1");
            ((ObjectNode) item.path("price")).put("id", "price_plus_month");
            edit.accept(o);
        });
        webhook(event);
    }

    String event(String fixture, Instant created, Consumer<ObjectNode> edit) {
        return TestStripe.event(fixture, created, edit);
    }

    /** Posts a webhook signed as Stripe signs: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, t + "." + payload)). */
    static void webhook(String payload) {
        given().contentType(ContentType.JSON).body(payload).header("Stripe-Signature", TestStripe.signature(payload, Instant.now()))
                .post("/webhooks/stripe")
                .then().statusCode(200);
    }

    static RequestSpecification service() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    static Response change(String acc, String body) {
        return service().header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/accounts/{id}/subscription/changes", acc);
    }

    static Response subscription(String acc) {
        return service().get("/accounts/{id}/subscription", acc);
    }

    static String subscriptionJson(String id, String status) {
        return TestStripe.subscription(id, status, "price_pro_month", null, null);
    }

    /** A Stripe subscription (API 2025+: the period is on its items) in the period from {@code start} to {@code end}. */
    static String subscriptionInPeriod(String id, Instant start, Instant end) {
        return TestStripe.subscription(id, "active", "price_plus_month", start, end);
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private void publish(PlanSnapshot plan) throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
    }
}
