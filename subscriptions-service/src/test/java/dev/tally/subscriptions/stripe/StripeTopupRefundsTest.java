package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Top-up refunds and disputes with Stripe, against the local Stripe stub: an admin's refund through
 * the Refunds API, and Stripe's charge.refunded and charge.dispute.created webhooks (recorded
 * Stripe objects), each raising the purchase's money back once, the echo of a refund made here included.
 */
@QuarkusTest
@TestProfile(StripeStub.class)
class StripeTopupRefundsTest extends StripeHarness {

    private String boughtThroughCheckout(String acc, String paymentIntent) throws Exception {
        var pack = new CreditPackSnapshot("pack-1000", "1000 credits", 1000, 900, "USD", "price_pack_1000", PlanSnapshot.PlanStatus.PUBLISHED);
        TestEvents.publish(Events.CREDIT_PACK_PUBLISHED, "pack:" + pack.code(), "pack:" + pack.code(), json.writeValueAsString(pack));
        String[] session = new String[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session[0] = service().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"packCode\":\"pack-1000\"," + SUCCESS + "}").post("/accounts/{id}/checkout-sessions", acc)
                .then().statusCode(201).extract().path("id"));
        webhook(event("checkout.session.completed.payment.json", Instant.now(), o -> o.put("id", session[0]).put("payment_intent", paymentIntent)));
        return UUID.nameUUIDFromBytes(session[0].getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** What POST /v1/refunds answers with {@code expand[]=charge}: the refund, and its charge with all it has refunded. */
    private static String refundAnswer(String id, long amount, String paymentIntent, long chargeAmount, long refundedInAll) {
        return "{\"id\":\"" + id + "\",\"object\":\"refund\",\"amount\":" + amount + ",\"currency\":\"usd\",\"status\":\"succeeded\","
                + "\"payment_intent\":\"" + paymentIntent + "\",\"charge\":{\"id\":\"ch_" + paymentIntent + "\",\"object\":\"charge\",\"amount\":"
                + chargeAmount + ",\"amount_refunded\":" + refundedInAll + ",\"payment_intent\":\"" + paymentIntent + "\",\"refunded\":"
                + (refundedInAll >= chargeAmount) + "}}";
    }

    private void chargeRefunded(String paymentIntent, long amountRefunded) {
        webhook(event("charge.refunded.json", Instant.now(), o -> o.put("id", "ch_" + paymentIntent).put("payment_intent", paymentIntent)
                .put("amount", 900).put("amount_captured", 900).put("amount_refunded", amountRefunded).put("refunded", amountRefunded >= 900)));
    }

    private String disputeCreated(String paymentIntent, long amount) {
        String e = event("charge.dispute.created.json", Instant.now(), o -> o.put("id", "dp_" + paymentIntent).put("charge", "ch_" + paymentIntent)
                .put("payment_intent", paymentIntent).put("amount", amount));
        webhook(e);
        return e;
    }

    private long events(String acc) {
        return count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.refunded'", acc);
    }

    @Test
    void anAdminsRefundGoesThroughStripesRefundsApiAndItsWebhookEchoClawsNothingMore() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        String purchase = boughtThroughCheckout(acc, "pi_refund_1");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson(refundAnswer("re_test_1", 900, "pi_refund_1", 900, 900))));
        String key = UUID.randomUUID().toString();
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType("application/json").header("Idempotency-Key", key)
                .body("{\"reason\":\"customer asked\"}").post("/accounts/{id}/topups/{p}/refunds", acc, purchase)
                .then().statusCode(201).body("refundedMinor", Matchers.equalTo(900)).body("reference", Matchers.equalTo("re_test_1"));
        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/refunds")).withRequestBody(containing("payment_intent=pi_refund_1"))
                .withRequestBody(containing("amount=900")).withRequestBody(containing("expand[0]=charge"))
                .withHeader("Idempotency-Key", matching("tally-refund-" + purchase + "-" + key)));

        chargeRefunded("pi_refund_1", 900); // Stripe's echo of the same refund
        assertEquals(1, events(acc), "the echo claws nothing back twice");
        assertEquals(1, count("SELECT count(*) FROM charge WHERE account_id = $1 AND kind = 'TOPUP_REFUND'", acc));
    }

    @Test
    void aRefundAndADisputeStartedInStripeEachTakeTheirShareOnceAndRepeatsNothing() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        boughtThroughCheckout(acc, "pi_refund_2");
        chargeRefunded("pi_refund_2", 300);
        chargeRefunded("pi_refund_2", 300); // another event id, the same state
        String dispute = disputeCreated("pi_refund_2", 600);
        webhook(dispute.replace("\"evt_", "\"evt_again_")); // the same dispute as a new event
        assertEquals(2, events(acc));
        assertEquals(-300, count("SELECT sum(amount_minor) FROM charge WHERE account_id = $1 AND kind = 'TOPUP_REFUND'", acc));
        assertEquals(-600, count("SELECT sum(amount_minor) FROM charge WHERE account_id = $1 AND kind = 'TOPUP_DISPUTE'", acc));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND type = 'topup.refunded' "
                + "AND payload->>'cause' = 'DISPUTE' AND (payload->>'takenBackMinor')::bigint = 900 AND payload->>'reference' = 'dp_pi_refund_2'", acc));
        chargeRefunded("pi_not_ours", 900); // a charge that is no top-up of Tally's
        assertEquals(0, count("SELECT count(*) FROM charge WHERE payment_ref = 'ch_pi_not_ours'"));
    }
}
