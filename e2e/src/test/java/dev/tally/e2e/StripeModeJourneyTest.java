package dev.tally.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestStripe;
import dev.tally.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Stripe mode across the services (issue 17). For this class the suite's one subscriptions-service
 * runs with the Stripe gateway against the local Stripe stub ({@link TestStripe}): it stays the only
 * member of its consumer groups, so plans' events, the scheduler's commands and credits' events
 * reach it as in a Stripe installation. Webhooks are the recorded Stripe events, signed with the
 * webhook secret at the suite's (frozen) time. It runs after every other journey of the JVM, only
 * the ledger check (credits-service's alone) after it, so the service stays in Stripe mode to the
 * end instead of a second restart (about 10 s) back to the local gateway.
 */
@Order(Integer.MAX_VALUE - 1)
class StripeModeJourneyTest {
    private static final Suite suite = Suite.get();
    private static final WireMockServer STRIPE = TestStripe.server();
    private static final String SUCCESS = "\"successUrl\":\"https://app.example.com/ok\",\"cancelUrl\":\"https://app.example.com/back\"";
    private static final String PLAN = "stripe-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PRICE = "price_e2e_" + PLAN.substring(7);

    @BeforeAll
    static void subscriptionsInStripeMode() {
        suite.restart(Service.SUBSCRIPTIONS, Map.of("TALLY_PAYMENTS_PROVIDER", "stripe", "STRIPE_API_KEY", TestStripe.API_KEY,
                "STRIPE_WEBHOOK_SECRET", TestStripe.WEBHOOK_SECRET, "TALLY_STRIPE_API_BASE", TestStripe.baseUrl(),
                "TALLY_STRIPE_MAX_NETWORK_RETRIES", "0"), "stripe");
        suite.setClock(suiteNow()); // the restarted service's clock agrees with the others again
        TestStripe.answerCustomersAndCheckouts();
        String admin = TestTokens.bearer(TestTokens.admin());
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", admin).contentType(ContentType.JSON).body("""
                {"code":"%s","name":"Stripe Plus","rank":%d,"selfServe":true,"defaultFree":false,"creditsPerPeriod":1000,
                 "prices":[{"interval":"MONTH","amountMinor":1000,"currency":"USD","stripePriceId":"%s"}]}"""
                .formatted(PLAN, 7000 + Math.abs(PLAN.hashCode() % 1000), PRICE)).post("/admin/plans").then().statusCode(201);
        given().baseUri(suite.url(Service.PLANS)).header("Authorization", admin).post("/admin/plans/{c}/publish", PLAN).then().statusCode(201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> service(Service.SUBSCRIPTIONS).get("/catalog/plans").then()
                .body("code", hasItem(PLAN))); // the read model has it, with its Stripe price
    }

    @Test
    void aSubscriptionStripeCreatedThroughCheckoutRunsInStripesPeriodAndCreditsAndRenewalFollowIt() {
        Instant now = suiteNow().truncatedTo(ChronoUnit.SECONDS);
        suite.freezeClock(now);
        try {
            // paid an hour ago; Stripe's webhooks arrive now (it retries them for days). 32 days: no calendar
            // month from either instant, so only Stripe's subscription object can have given it
            Instant start = now.minus(Duration.ofHours(1));
            Instant end = start.plus(Duration.ofDays(32));
            String subscription = "sub_e2e_period_" + PLAN.substring(7);
            String acc = subscribedThroughCheckout(subscription, start, end, now);
            subscriptions(acc).get("/accounts/{id}/subscription", acc).then().statusCode(200)
                    .body("planCode", equalTo(PLAN)).body("status", equalTo("ACTIVE"))
                    .body("periodStart", equalTo(start.toString())).body("periodEnd", equalTo(end.toString()));
            subscriptions(acc).get("/accounts/{id}/charges", acc).then().statusCode(200)
                    .body("[0].periodStart", equalTo(start.toString())).body("[0].paymentRef", equalTo(subscription));
            awaitCredits(acc, 1000);

            // the scheduler renews at Stripe's period end, not a second before, and credits-service grants for the new period
            String newPeriodGrant = "credits for the period from " + end;
            suite.advanceClock(Duration.between(now, end).minusSeconds(1));
            sleep(Duration.ofMillis(2500)); // the scheduler looks every second
            subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("periodEnd", equalTo(end.toString()));
            ledger(acc).then().body("reason", not(hasItem(newPeriodGrant)));
            suite.advanceClock(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> subscriptions(acc).get("/accounts/{id}/subscription", acc).then()
                    .body("periodStart", equalTo(end.toString())));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ledger(acc).then().body("reason", hasItem(newPeriodGrant)));
            awaitCredits(acc, 1000); // the ended period's credits forfeited, the new period's granted
            subscriptions(acc).get("/accounts/{id}/charges", acc).then() // Stripe bills the renewal itself: its line names the subscription
                    .body("find { it.kind == 'RENEWAL' }.periodStart", equalTo(end.toString()))
                    .body("find { it.kind == 'RENEWAL' }.paymentRef", equalTo(subscription));
        } finally {
            suite.setClock(suiteNow());
        }
    }

    @Test
    void thePastDueGraceEndsAtItsInstantAndTheAccountIsOnFreeAcrossTheServices() {
        Instant now = suiteNow().truncatedTo(ChronoUnit.SECONDS);
        suite.freezeClock(now);
        try {
            String subscription = "sub_e2e_grace_" + PLAN.substring(7);
            String acc = subscribedThroughCheckout(subscription, now.minusSeconds(60), now.plus(Duration.ofDays(31)), now);
            awaitCredits(acc, 1000);
            STRIPE.stubFor(delete(urlPathEqualTo("/v1/subscriptions/" + subscription))
                    .willReturn(okJson(TestStripe.subscription(subscription, "canceled", PRICE, null, null))));
            webhook(TestStripe.event("invoice.payment_failed.json", now, o -> {
                o.put("subscription", subscription);
                ((ObjectNode) o.path("parent").path("subscription_details")).put("subscription", subscription);
            }), now);
            subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("status", equalTo("PAST_DUE"));

            Duration grace = Duration.ofDays(7); // tally.stripe.past-due-grace as shipped
            suite.advanceClock(grace.minusSeconds(1));
            sleep(Duration.ofMillis(2500)); // two checks and more
            subscriptions(acc).get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo(PLAN)).body("status", equalTo("PAST_DUE"));
            STRIPE.verify(0, deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription)));
            service(Service.CREDITS).get("/accounts/{id}/credits", acc).then().body("byBucket.SUBSCRIPTION", equalTo(1000));

            suite.advanceClock(Duration.ofSeconds(1)); // the grace's end, to the second
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> subscriptions(acc)
                    .get("/accounts/{id}/subscription", acc).then().body("planCode", equalTo("free")).body("status", equalTo("ACTIVE")));
            STRIPE.verify(1, deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription))); // Stripe stops billing it
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service(Service.CREDITS).get("/accounts/{id}/credits", acc).then()
                    .body("byBucket.SUBSCRIPTION", anyOf(nullValue(), equalTo(0)))); // the paid plan's credits left with it
            ledger(acc).then().body("findAll { it.kind == 'FORFEIT' }.amount", hasItem(-1000));
        } finally {
            suite.setClock(suiteNow());
        }
    }

    /**
     * An account that bought {@link #PLAN} through Checkout; Stripe's subscription runs from {@code start}
     * to {@code end}. Stripe's usual order: the subscription's created event, then the completed session.
     */
    private static String subscribedThroughCheckout(String subscription, Instant start, Instant end, Instant now) {
        String acc = "acc-" + UUID.randomUUID();
        STRIPE.stubFor(get(urlPathEqualTo("/v1/subscriptions/" + subscription))
                .willReturn(okJson(TestStripe.subscription(subscription, "active", PRICE, start, end))));
        subscriptions(acc).get("/accounts/{id}/subscription", acc).then().statusCode(200).body("planCode", equalTo("free"));
        String session = subscriptions(acc).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"planCode\":\"" + PLAN + "\",\"interval\":\"MONTH\"," + SUCCESS + "}").post("/accounts/{id}/checkout-sessions", acc)
                .then().statusCode(201).extract().path("id");
        webhook(TestStripe.event("customer.subscription.created.json", now, o -> {
            o.put("id", subscription).put("status", "active").put("cancel_at_period_end", false);
            ((ObjectNode) o.path("metadata")).put("account_id", acc);
            ObjectNode item = (ObjectNode) o.path("items").path("data").path(0);
            item.put("id", "si_test_1").put("current_period_start", start.getEpochSecond()).put("current_period_end", end.getEpochSecond());
            ((ObjectNode) item.path("price")).put("id", PRICE);
        }), now);
        webhook(TestStripe.event("checkout.session.completed.subscription.json", now,
                o -> o.put("id", session).put("subscription", subscription).put("client_reference_id", acc)), now);
        return acc;
    }

    /** Posts a webhook as Stripe does: the raw event, signed at {@code at} (the service checks the signature's age against its clock). */
    private static void webhook(String event, Instant at) {
        given().baseUri(suite.url(Service.SUBSCRIPTIONS)).contentType(ContentType.JSON).header("Stripe-Signature", TestStripe.signature(event, at))
                .body(event).post("/webhooks/stripe").then().statusCode(200);
    }

    private static void awaitCredits(String acc, int subscriptionCredits) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service(Service.CREDITS).get("/accounts/{id}/credits", acc).then()
                .body("byBucket.SUBSCRIPTION", equalTo(subscriptionCredits)));
    }

    private static io.restassured.response.Response ledger(String acc) {
        return service(Service.CREDITS).queryParam("limit", 200).get("/accounts/{id}/credits/ledger", acc);
    }

    private static RequestSpecification subscriptions(String acc) {
        return given().baseUri(suite.url(Service.SUBSCRIPTIONS)).header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON);
    }

    private static RequestSpecification service(Service s) {
        return given().baseUri(suite.url(s)).header("Authorization", TestTokens.bearer(TestTokens.admin()));
    }

    /** The suite's time, as plans-service's clock tells it. */
    private static Instant suiteNow() {
        return Instant.parse(service(Service.PLANS).get("/admin/clock").then().statusCode(200).extract().path("now"));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
