package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestStripe;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Stripe gateway against a local HTTP stub of the Stripe API (stripe-java pointed at it), and
 * the webhook endpoint with events signed locally the way Stripe signs them.
 */
@QuarkusTest
@TestProfile(StripeStub.class)
class StripeTest {
    private static final String SUCCESS = "\"successUrl\":\"https://app.example.com/ok\",\"cancelUrl\":\"https://app.example.com/back\"";
    private static final com.github.tomakehurst.wiremock.WireMockServer STRIPE = StripeStub.SERVER;

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Inject
    PastDueGrace grace;

    @BeforeEach
    void catalogAndStubs() throws Exception {
        STRIPE.resetAll();
        publishPlan(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publishPlan(new PlanSnapshot("plus", 1, "Plus", "", 10, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 1000, "USD", "price_plus_month")),
                1000, BillingInterval.MONTH, 0, 1, List.of("pro-models"), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publishPlan(new PlanSnapshot("pro", 1, "Pro", "", 20, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 3000, "USD", "price_pro_month")),
                5000, BillingInterval.MONTH, 0, 5, List.of("pro-models"), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()));
        publishPack(new CreditPackSnapshot("pack-500", "500 credits", 500, 500, "USD", "price_pack_500", PlanSnapshot.PlanStatus.PUBLISHED));
        publishPack(new CreditPackSnapshot("pack-unpriced", "no Stripe price", 100, 100, "USD", null, PlanSnapshot.PlanStatus.PUBLISHED));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/catalog/plans").then().body("code", Matchers.hasItems("free", "plus", "pro")));
        TestStripe.answerCustomersAndCheckouts();
        STRIPE.stubFor(post(urlPathMatching("/v1/subscriptions/.*")).willReturn(okJson(StripeHarness.subscriptionJson("sub_test_1", "active"))));
        STRIPE.stubFor(get(urlPathMatching("/v1/subscriptions/.*")).atPriority(9).willReturn(okJson( // read when a Checkout completes
                StripeHarness.subscriptionInPeriod("sub_test_1", Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofDays(30))))));
    }

    // ---- checkout and customers

    @Test
    void aCreditPackCheckoutCreatesTheCustomerOnceAndAPaymentModeSessionButNoTopupYet() {
        String acc = "acc-" + UUID.randomUUID();
        checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(201)
                .body("url", Matchers.startsWith("https://checkout.stripe.com/")).body("kind", Matchers.equalTo("TOPUP"));
        checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(201);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/customers")).withRequestBody(containing("metadata[account_id]=" + acc)));
        STRIPE.verify(2, postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("mode=payment")).withRequestBody(containing("customer=cus_"))
                .withRequestBody(containing("line_items[0][price]=price_pack_500"))
                .withRequestBody(containing("success_url=https%3A%2F%2Fapp.example.com%2Fok"))
                .withHeader("Idempotency-Key", matching("tally-checkout-.*")));
        assertEquals(0, count("SELECT count(*) FROM topup_purchase WHERE account_id = $1", acc), "nothing is bought before Stripe confirms");
    }

    @Test
    void aTopupAppliesWhenStripeConfirmsTheSessionAndAReplayDoesNothing() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String session = checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(201).extract().path("id");
        String event = TestStripe.event("checkout.session.completed.payment.json", Instant.now(),
                o -> o.put("id", session).put("payment_intent", "pi_test_1"));
        webhook(event, TestStripe.signature(event, Instant.now())).then().statusCode(200).body("duplicate", Matchers.equalTo(false));
        webhook(event, TestStripe.signature(event, Instant.now())).then().statusCode(200).body("duplicate", Matchers.equalTo(true));
        String again = TestStripe.event("checkout.session.completed.payment.json", Instant.now(),
                o -> o.put("id", session).put("payment_intent", "pi_test_1"));
        webhook(again, TestStripe.signature(again, Instant.now())).then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM topup_purchase WHERE account_id = $1 AND payment_ref = 'pi_test_1'", acc));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.purchased'", acc));
    }

    @Test
    void anAbandonedCheckoutThatStripeExpiresIsClosedAndALateCompletionBuysNothing() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String session = checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(201).extract().path("id");
        String expired = TestStripe.event("checkout.session.completed.payment.json", Instant.now(),
                o -> o.put("id", session).put("status", "expired").put("payment_status", "unpaid").putNull("payment_intent"))
                .replace("\"checkout.session.completed\"", "\"checkout.session.expired\"");
        webhook(expired, TestStripe.signature(expired, Instant.now())).then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM checkout_session WHERE id = $1 AND status = 'EXPIRED'", session));
        String late = TestStripe.event("checkout.session.completed.payment.json", Instant.now(),
                o -> o.put("id", session).put("payment_intent", "pi_test_late"));
        webhook(late, TestStripe.signature(late, Instant.now())).then().statusCode(200);
        assertEquals(0, count("SELECT count(*) FROM topup_purchase WHERE account_id = $1", acc));
    }

    @Test
    void aMissingPriceIdIsAClearErrorNotACrashAndStripeIsNotCalled() {
        checkout("acc-" + UUID.randomUUID(), "{\"packCode\":\"pack-unpriced\"," + SUCCESS + "}").then().statusCode(422)
                .body("code", Matchers.equalTo("stripe_price_missing")).body("detail", Matchers.containsString("pack-unpriced"));
        STRIPE.verify(0, postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")));
    }

    @Test
    void stripeErrorsBecomeProblemsAndChangeNothing() {
        String acc = "acc-" + UUID.randomUUID();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(402)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_declined")
                .withBody("{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\",\"message\":\"Your card was declined.\"}}")));
        checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(402).body("code", Matchers.equalTo("card_declined"));
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"rate_limit\",\"message\":\"Too many requests\"}}")));
        checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(429).body("code", Matchers.equalTo("stripe_rate_limited"));
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(okJson("{}").withFixedDelay(4000)));
        checkout(acc, "{\"packCode\":\"pack-500\"," + SUCCESS + "}").then().statusCode(503).body("code", Matchers.equalTo("stripe_unavailable"));
        assertEquals(0, count("SELECT count(*) FROM checkout_session WHERE account_id = $1", acc));
    }

    // ---- plans through Stripe

    @Test
    void freeToPaidGoesThroughCheckoutAndAppliesWhenStripeConfirms() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        service().header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"planCode\":\"plus\",\"interval\":\"MONTH\"}")
                .post("/accounts/{id}/subscription/changes", acc).then().statusCode(402).body("code", Matchers.equalTo("payment_method_required"));
        String session = checkout(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"," + SUCCESS + "}").then().statusCode(201).extract().path("id");
        STRIPE.verify(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")).withRequestBody(containing("mode=subscription"))
                .withRequestBody(containing("line_items[0][price]=price_plus_month")));
        subscription(acc).then().body("planCode", Matchers.equalTo("free"));
        String sub = "sub_" + UUID.randomUUID().toString().substring(0, 8);
        completeSubscriptionCheckout(acc, session, sub);
        subscription(acc).then().body("planCode", Matchers.equalTo("plus"));
        service().get("/accounts/{id}/charges", acc).then().body("[0].paymentRef", Matchers.equalTo(sub));
    }

    @Test
    void aChangeOnAStripeSubscriptionSendsTheProrationThatMatchesItsTiming() throws Exception {
        String acc = subscribedThroughStripe("sub_test_1");
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}").then().statusCode(200);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_test_1"))
                .withRequestBody(containing("items[0][id]=si_test_1")).withRequestBody(containing("items[0][price]=price_pro_month"))
                .withRequestBody(containing("proration_behavior=always_invoice"))
                .withRequestBody(Matchers_notContaining("billing_cycle_anchor")));
        String other = subscribedThroughStripe("sub_test_2");
        change(other, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_test_2"))
                .withRequestBody(containing("billing_cycle_anchor=now")).withRequestBody(containing("proration_behavior=always_invoice")));
        change(other, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"}").then().statusCode(200).body("timing", Matchers.equalTo("END_OF_PERIOD"));
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_test_2"))
                .withRequestBody(containing("items[0][price]=price_plus_month")).withRequestBody(containing("proration_behavior=none"))
                .withRequestBody(Matchers_notContaining("billing_cycle_anchor")));
    }

    @Test
    void moreConcurrentPreviewsThanDatabaseConnectionsAllAnswerWhileStripeLinksAreRead() throws Exception {
        List<String> accounts = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accounts.add(subscribedThroughStripe("sub_burst_" + i));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<Response>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) { // previews read each account's Stripe link inside their transaction; pool has 4
            String acc = accounts.get(i % accounts.size());
            answers.add(pool.submit(() -> service().header("Idempotency-Key", UUID.randomUUID().toString())
                    .body("{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE_PRORATED\"}")
                    .post("/accounts/{id}/subscription/previews", acc)));
        }
        for (var answer : answers) {
            Response r = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.asString());
        }
        pool.shutdown();
    }

    @Test
    void cancelAndResumeSetCancelAtPeriodEndOnTheStripeSubscription() throws Exception {
        String acc = subscribedThroughStripe("sub_test_3");
        service().header("Idempotency-Key", UUID.randomUUID().toString()).post("/accounts/{id}/subscription/cancel", acc).then().statusCode(200);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_test_3")).withRequestBody(equalTo("cancel_at_period_end=true")));
        service().header("Idempotency-Key", UUID.randomUUID().toString()).post("/accounts/{id}/subscription/resume", acc).then().statusCode(200);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_test_3")).withRequestBody(equalTo("cancel_at_period_end=false")));
    }

    @Test
    void aSubscriptionEndedInStripeRevertsTheAccountToFree() throws Exception {
        String acc = subscribedThroughStripe("sub_test_6");
        String deleted = TestStripe.event("customer.subscription.created.json", Instant.now(), o -> {
            o.put("id", "sub_test_6").put("status", "canceled");
            ((ObjectNode) o.path("metadata")).put("account_id", acc);
        }).replace("\"customer.subscription.created\"", "\"customer.subscription.deleted\"");
        webhook(deleted, TestStripe.signature(deleted, Instant.now())).then().statusCode(200);
        subscription(acc).then().body("planCode", Matchers.equalTo("free"));
        assertEquals(0, STRIPE.findAll(postRequestedFor(urlPathMatching("/v1/subscriptions/.*"))).size(), "nothing is sent back to Stripe");
    }

    // ---- webhooks

    @Test
    void aBadMissingOrStaleSignatureIs400AndChangesNothing() throws Exception {
        String event = TestStripe.event("invoice.payment_failed.json", Instant.now(), o -> { });
        long before = count("SELECT count(*) FROM stripe_event");
        webhook(event, null).then().statusCode(400).body("code", Matchers.equalTo("signature_missing"));
        webhook(event, TestStripe.signature(event, Instant.now()).replace("v1=", "v1=00")).then().statusCode(400).body("code", Matchers.equalTo("signature_invalid"));
        webhook(event, TestStripe.signature(event, Instant.now().minus(Duration.ofMinutes(10)))).then().statusCode(400).body("code", Matchers.equalTo("signature_invalid"));
        String tampered = event.replace("\"invoice.payment_failed\"", "\"invoice.paid\"");
        webhook(tampered, TestStripe.signature(event, Instant.now())).then().statusCode(400).body("code", Matchers.equalTo("signature_invalid"));
        ObjectNode noVersion = (ObjectNode) json.readTree(event);
        noVersion.remove("api_version");
        String unversioned = json.writeValueAsString(noVersion);
        webhook(unversioned, TestStripe.signature(unversioned, Instant.now())).then().statusCode(400).body("code", Matchers.equalTo("event_unreadable"));
        assertEquals(before, count("SELECT count(*) FROM stripe_event"));
    }

    @Test
    void outOfOrderSubscriptionUpdatesEndInTheStateOfTheNewest() throws Exception {
        String acc = subscribedThroughStripe("sub_test_4");
        Instant t = Instant.now();
        subscriptionEvent("customer.subscription.updated.past-due.json", acc, "sub_test_4", "past_due", t.plusSeconds(20));
        subscriptionEvent("customer.subscription.updated.past-due.json", acc, "sub_test_4", "active", t.plusSeconds(10)); // older, late
        subscription(acc).then().body("status", Matchers.equalTo("PAST_DUE"));
        subscriptionEvent("customer.subscription.updated.past-due.json", acc, "sub_test_4", "active", t.plusSeconds(30));
        subscription(acc).then().body("status", Matchers.equalTo("ACTIVE"));
    }

    @Test
    void aPlanChangedInTheStripePortalIsReflectedHereWithoutBillingItAgain() throws Exception {
        String acc = subscribedThroughStripe("sub_test_7");
        long charges = count("SELECT count(*) FROM charge WHERE account_id = $1 AND payment_ref = 'sub_test_7'", acc);
        String updated = TestStripe.event("customer.subscription.updated.past-due.json", Instant.now(), o -> {
            o.put("id", "sub_test_7").put("status", "active").put("cancel_at_period_end", false);
            ((ObjectNode) o.path("metadata")).put("account_id", acc);
            ObjectNode item = (ObjectNode) o.path("items").path("data").path(0);
            item.put("id", "si_test_1");
            ((ObjectNode) item.path("price")).put("id", "price_pro_month");
        });
        webhook(updated, TestStripe.signature(updated, Instant.now())).then().statusCode(200);
        subscription(acc).then().body("planCode", Matchers.equalTo("pro")).body("status", Matchers.equalTo("ACTIVE"));
        assertEquals(0, STRIPE.findAll(postRequestedFor(urlPathMatching("/v1/subscriptions/.*"))).size(), "nothing is sent back to Stripe");
        assertTrue(count("SELECT count(*) FROM charge WHERE account_id = $1 AND payment_ref = 'sub_test_7'", acc) > charges,
                "the proration Stripe billed is recorded with its reference, not charged again");
    }

    @Test
    void aFailedPaymentMakesItPastDueAndAfterTheGraceItRevertsToFree() throws Exception {
        String acc = subscribedThroughStripe("sub_test_5");
        String failed = TestStripe.event("invoice.payment_failed.json", Instant.now(), o -> {
            o.put("subscription", "sub_test_5");
            ((ObjectNode) o.path("parent").path("subscription_details")).put("subscription", "sub_test_5");
        });
        webhook(failed, TestStripe.signature(failed, Instant.now())).then().statusCode(200);
        subscription(acc).then().body("status", Matchers.equalTo("PAST_DUE")).body("planCode", Matchers.equalTo("plus"));
        STRIPE.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo("/v1/subscriptions/sub_test_5"))
                .willReturn(okJson(StripeHarness.subscriptionJson("sub_test_5", "canceled"))));
        assertEquals(1, count("SELECT count(*) FROM stripe_subscription WHERE subscription_id = 'sub_test_5' AND past_due_since IS NOT NULL"),
                "the failed payment starts the grace");
        assertEquals(0, grace.endExpiredGraces().await().atMost(Duration.ofSeconds(10)), "the grace has not run out yet");
        sql("UPDATE stripe_subscription SET past_due_since = past_due_since - interval '8 days', "
                + "grace_ends_at = grace_ends_at - interval '8 days' WHERE subscription_id = 'sub_test_5'");
        assertEquals(1, grace.endExpiredGraces().await().atMost(Duration.ofSeconds(10)));
        STRIPE.verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_test_5")));
        subscription(acc).then().body("planCode", Matchers.equalTo("free")).body("status", Matchers.equalTo("ACTIVE"));
        assertEquals(1, count("SELECT count(*) FROM notification WHERE account_id = $1 AND kind = 'reverted-to-free'", acc));
    }

    @Test
    void aPortalSessionIsOpenedForTheAccountsCustomer() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/billing_portal/sessions")).willReturn(okJson(
                "{\"id\":\"bps_test_1\",\"object\":\"billing_portal.session\",\"url\":\"https://billing.stripe.com/p/session/test\"}")));
        String acc = "acc-" + UUID.randomUUID();
        service().body("{\"returnUrl\":\"https://app.example.com/billing\"}").post("/accounts/{id}/portal-sessions", acc).then()
                .statusCode(200).body("url", Matchers.equalTo("https://billing.stripe.com/p/session/test"));
        STRIPE.verify(postRequestedFor(urlPathEqualTo("/v1/billing_portal/sessions")).withRequestBody(containing("customer=cus_"))
                .withRequestBody(containing("return_url=https%3A%2F%2Fapp.example.com%2Fbilling")));
    }

    // ---- helpers

    /** An account on plus, paid through a Stripe Checkout, with the Stripe subscription's item known. */
    private String subscribedThroughStripe(String subscriptionId) throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String session = checkout(acc, "{\"planCode\":\"plus\",\"interval\":\"MONTH\"," + SUCCESS + "}").then().statusCode(201).extract().path("id");
        completeSubscriptionCheckout(acc, session, subscriptionId);
        subscriptionEvent("customer.subscription.created.json", acc, subscriptionId, "active", Instant.now().minusSeconds(60));
        STRIPE.resetRequests();
        return acc;
    }

    private void completeSubscriptionCheckout(String acc, String session, String subscriptionId) throws Exception {
        String event = TestStripe.event("checkout.session.completed.subscription.json", Instant.now(),
                o -> o.put("id", session).put("subscription", subscriptionId));
        webhook(event, TestStripe.signature(event, Instant.now())).then().statusCode(200);
    }

    private void subscriptionEvent(String fixture, String acc, String subscriptionId, String status, Instant created) throws Exception {
        String event = TestStripe.event(fixture, created, o -> {
            o.put("id", subscriptionId).put("status", status).put("cancel_at_period_end", false);
            ((ObjectNode) o.path("metadata")).put("account_id", acc);
            ObjectNode item = (ObjectNode) o.path("items").path("data").path(0);
            item.put("id", "si_test_1");
            ((ObjectNode) item.path("price")).put("id", "price_plus_month");
        });
        webhook(event, TestStripe.signature(event, Instant.now())).then().statusCode(200);
    }

    private static Response webhook(String payload, String signature) {
        var request = given().contentType(ContentType.JSON).body(payload);
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return request.post("/webhooks/stripe");
    }

    private static io.restassured.specification.RequestSpecification service() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    private static Response checkout(String acc, String body) {
        return service().header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/accounts/{id}/checkout-sessions", acc);
    }

    private static Response change(String acc, String body) {
        return service().header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/accounts/{id}/subscription/changes", acc);
    }

    private static Response subscription(String acc) {
        return service().get("/accounts/{id}/subscription", acc);
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern Matchers_notContaining(String text) {
        return com.github.tomakehurst.wiremock.client.WireMock.notContaining(text);
    }

    private void publishPlan(PlanSnapshot plan) throws Exception {
        TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
    }

    private void publishPack(CreditPackSnapshot pack) throws Exception {
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + pack.code(), "pack:" + pack.code(), json.writeValueAsString(pack));
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(args))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private void sql(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(10));
    }
}
