package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Stripe mode's webhook edges (issue 17): a malformed signature is the caller's error, an event
 * without an API version says so in plain words, a subscription Stripe created through Checkout runs
 * in Stripe's period (and keeps the item its created event named, whichever comes first), and the
 * first subscription event after a Checkout warns of nothing.
 */
@QuarkusTest
@TestProfile(StripeStub.class)
class StripeWebhookEdgesTest extends StripeHarness {

    @Test
    void aMalformedSignatureHeaderIs400ProblemJsonNot500() throws Exception {
        String event = event("invoice.payment_failed.json", Instant.now(), o -> { });
        long before = count("SELECT count(*) FROM stripe_event");
        for (String header : List.of("t=abc,v1=zz", "t=,v1=", "garbage")) {
            given().contentType(ContentType.JSON).body(event).header("Stripe-Signature", header).post("/webhooks/stripe").then()
                    .statusCode(400).contentType("application/problem+json").body("code", Matchers.equalTo("signature_invalid"));
        }
        assertEquals(before, count("SELECT count(*) FROM stripe_event"));
    }

    @Test
    void anEventWithoutAnApiVersionSaysSoInPlainWords() throws Exception {
        ObjectNode unversioned = (ObjectNode) json.readTree(event("invoice.payment_failed.json", Instant.now(), o -> { }));
        unversioned.remove("api_version");
        var answer = post(json.writeValueAsString(unversioned));
        answer.then().statusCode(400).body("code", Matchers.equalTo("event_unreadable"))
                .body("detail", Matchers.equalTo("The Stripe event has no API version (api_version)."));
    }

    @Test
    void aSubscriptionStripeCreatedThroughCheckoutRunsInStripesPeriodNotFromTheWebhooksArrival() throws Exception {
        Instant start = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant end = start.plus(Duration.ofDays(31)); // not Tally's calendar month from either instant: it must be Stripe's
        STRIPE.stubFor(get(urlPathEqualTo("/v1/subscriptions/sub_period_1")).atPriority(1)
                .willReturn(okJson(subscriptionInPeriod("sub_period_1", start, end))));
        String acc = subscribedThroughStripe("sub_period_1");
        subscription(acc).then().body("planCode", Matchers.equalTo("plus"))
                .body("periodStart", Matchers.equalTo(start.toString())).body("periodEnd", Matchers.equalTo(end.toString()));
        service().get("/accounts/{id}/charges", acc).then().body("[0].periodStart", Matchers.equalTo(start.toString()));
    }

    @Test
    void aSubscriptionCreatedEventBeforeTheCheckoutCompletesKeepsItsItemSoALaterChangeReplacesItsPrice() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String sub = "sub_first_" + UUID.randomUUID().toString().substring(0, 8);
        String session = service().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"planCode\":\"plus\",\"interval\":\"MONTH\"," + SUCCESS + "}").post("/accounts/{id}/checkout-sessions", acc)
                .then().statusCode(201).extract().path("id");
        webhook(event("customer.subscription.created.json", Instant.now().minusSeconds(5), o -> { // Stripe's usual order
            o.put("id", sub).put("status", "active").put("cancel_at_period_end", false);
            ((ObjectNode) o.path("metadata")).put("account_id", acc);
            ObjectNode item = (ObjectNode) o.path("items").path("data").path(0);
            item.put("id", "si_test_1");
            ((ObjectNode) item.path("price")).put("id", "price_plus_month");
        }));
        webhook(event("checkout.session.completed.subscription.json", Instant.now(), o -> o.put("id", session).put("subscription", sub)));
        subscription(acc).then().body("planCode", Matchers.equalTo("plus"));
        assertEquals(1, count("SELECT count(*) FROM stripe_subscription WHERE subscription_id = $1 AND item_id = 'si_test_1' "
                + "AND price_id = 'price_plus_month' AND last_event_created > 0", sub), "the link keeps what the created event said");

        STRIPE.resetRequests();
        change(acc, "{\"planCode\":\"pro\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(200);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + sub))
                .withRequestBody(containing("items[0][id]=si_test_1"))); // the item's price replaced, not a second item added
    }

    @Test
    void theFirstSubscriptionEventAfterACheckoutWarnsOfNoRefusedChange() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(StripeWebhooks.class.getName());
        logger.addHandler(capture);
        try {
            String acc = subscribedThroughStripe("sub_first_" + UUID.randomUUID().toString().substring(0, 8));
            subscription(acc).then().body("planCode", Matchers.equalTo("plus"));
        } finally {
            logger.removeHandler(capture);
        }
        assertTrue(warnings.stream().noneMatch(w -> w.contains("refuses") || w.contains("same_plan") || w.contains("no plan for sale")),
                "no false warning: " + warnings);
    }

    private static io.restassured.response.Response post(String payload) {
        return given().contentType(ContentType.JSON).body(payload).header("Stripe-Signature", dev.tally.testsupport.TestStripe.signature(payload, Instant.now()))
                .post("/webhooks/stripe");
    }
}
