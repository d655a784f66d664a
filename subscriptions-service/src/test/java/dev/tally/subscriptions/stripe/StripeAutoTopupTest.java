package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auto top-ups with Stripe, against the local Stripe stub: an off-session PaymentIntent, confirmed at
 * once on the customer's default payment method with the request's idempotency key; settled, it is
 * the purchase; a declined card or no saved method fails it; a Stripe that never answers is tried
 * again until the give-up time, then failed as payment_unanswered.
 */
@QuarkusTest
@TestProfile(StripeStub.class)
class StripeAutoTopupTest {
    private static final com.github.tomakehurst.wiremock.WireMockServer STRIPE = StripeStub.SERVER;
    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;

    @BeforeEach
    void packAndStubs() throws Exception {
        STRIPE.resetAll();
        var pack = new CreditPackSnapshot("auto-pack-500", "500 credits", 500, 900, "USD", "price_auto_500", PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + pack.code(), "pack:" + pack.code(), json.writeValueAsString(pack));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM catalog_credit_pack WHERE code = $1", pack.code()) == 1);
        STRIPE.stubFor(get(urlPathMatching("/v1/customers/cus_auto_.*")).willReturn(okJson(
                "{\"id\":\"cus_auto_1\",\"object\":\"customer\",\"invoice_settings\":{\"default_payment_method\":\"pm_card_saved\"},\"metadata\":{}}")));
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    /** A request as the consumer records it, for an account linked to a customer of its own (or to none). */
    UUID pending(String acc, boolean linked, String requestedAgo) {
        UUID request = UUID.randomUUID();
        if (linked) {
            pool.preparedQuery("INSERT INTO stripe_customer (account_id, customer_id, created_at) VALUES ($1, $2, now())")
                    .execute(Tuple.of(acc, "cus_auto_" + request)).await().atMost(Duration.ofSeconds(10));
        }
        pool.preparedQuery("INSERT INTO auto_topup_payment (request_id, account_id, pack_code, status, next_attempt_at, requested_at) "
                        + "VALUES ($1, $2, 'auto-pack-500', 'PENDING', now(), now() - $3::text::interval)")
                .execute(Tuple.of(request, acc, requestedAgo)).await().atMost(Duration.ofSeconds(10));
        return request;
    }

    @Test
    void aSucceededOffSessionPaymentIntentIsThePurchasePaidWithTheRequestsKey() {
        String acc = "acc-" + UUID.randomUUID();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(okJson(
                "{\"id\":\"pi_auto_1\",\"object\":\"payment_intent\",\"status\":\"succeeded\",\"amount\":900,\"currency\":\"usd\",\"metadata\":{}}")));
        UUID request = pending(acc, true, "0 seconds");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM topup_purchase WHERE id = $1 AND payment_ref = 'pi_auto_1'", request) == 1);
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/payment_intents")).withRequestBody(containing("off_session=true"))
                .withRequestBody(containing("confirm=true")).withRequestBody(containing("customer=cus_auto_" + request))
                .withRequestBody(containing("payment_method=pm_card_saved")).withRequestBody(containing("amount=900"))
                .withHeader("Idempotency-Key", equalTo("tally-offsession-auto-topup:" + request)));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.purchased'", acc));
    }

    @Test
    void aDeclinedCardOrNoSavedPaymentMethodFailsThePaymentAndBuysNothing() {
        String acc = "acc-" + UUID.randomUUID();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(402)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                        + "\"message\":\"Your card was declined.\"}}")));
        UUID declined = pending(acc, true, "0 seconds");
        String none = "acc-" + UUID.randomUUID();
        UUID unlinked = pending(none, false, "0 seconds");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox_event WHERE type = 'auto-topup.payment-failed' "
                + "AND payload->>'requestId' IN ($1, $2)", declined.toString(), unlinked.toString()) == 2);
        assertEquals(1, count("SELECT count(*) FROM auto_topup_payment WHERE request_id = $1 AND failure_code = 'card_declined'", declined));
        assertEquals(1, count("SELECT count(*) FROM auto_topup_payment WHERE request_id = $1 AND failure_code = 'payment_method_required'", unlinked));
        assertEquals(0, count("SELECT count(*) FROM topup_purchase WHERE account_id IN ($1, $2)", acc, none));
    }

    @Test
    void aStripeThatNeverAnswersIsTriedAgainThenFailedAsUnansweredAfterTheGiveUpTime() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(okJson("{}").withFixedDelay(4_000))); // past the 2 s read timeout
        String fresh = "acc-" + UUID.randomUUID();
        UUID retried = pending(fresh, true, "0 seconds");
        String old = "acc-" + UUID.randomUUID();
        UUID givenUp = pending(old, true, "2 hours"); // requested longer ago than tally.auto-topup.give-up-after (1 h)
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM auto_topup_payment WHERE request_id = $1 "
                + "AND status = 'FAILED' AND failure_code = 'payment_unanswered'", givenUp) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT attempts FROM auto_topup_payment WHERE request_id = $1", retried) >= 1);
        assertEquals(1, count("SELECT count(*) FROM auto_topup_payment WHERE request_id = $1 AND status = 'PENDING' "
                + "AND next_attempt_at > now() + interval '20 seconds'", retried), "left for the next attempt, retry-every (30 s) ahead");
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'auto-topup.payment-failed' "
                + "AND payload->>'code' = 'payment_unanswered'", old));
    }
}
