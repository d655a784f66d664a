package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.testsupport.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Stripe mode does not sell plans billed in arrears yet: a subscription-mode Checkout would charge at sign-up. */
@QuarkusTest
@TestProfile(StripeStub.class)
class StripeArrearsTest extends StripeHarness {

    @Test
    void aCheckoutForAPlanBilledInArrearsIsRefusedBeforeStripeIsAsked() throws Exception {
        publishKong();
        String acc = "acc-" + UUID.randomUUID();
        service().header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"planCode\":\"kong\",\"interval\":\"MONTH\"," + SUCCESS + "}")
                .post("/accounts/{id}/checkout-sessions", acc).then().statusCode(422).contentType("application/problem+json")
                .body("code", Matchers.equalTo("billing_mode_not_supported"));
        assertEquals(0, STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))).size());
    }

    @Test
    void aChangeOfAStripeSubscriptionToAPlanBilledInArrearsIsRefusedAndChangesNothing() throws Exception {
        publishKong();
        String id = "sub_arrears_" + UUID.randomUUID().toString().substring(0, 8); // its own: a Stripe subscription links one account
        STRIPE.stubFor(get(urlPathEqualTo("/v1/subscriptions/" + id)).atPriority(1).willReturn(okJson(
                subscriptionInPeriod(id, Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofDays(30))))));
        String acc = subscribedThroughStripe(id);
        change(acc, "{\"planCode\":\"kong\",\"interval\":\"MONTH\",\"timing\":\"IMMEDIATE\"}").then().statusCode(422)
                .body("code", Matchers.equalTo("billing_mode_not_supported"));
        subscription(acc).then().body("planCode", Matchers.equalTo("plus"));
        assertEquals(0, STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + id))).size());
    }

    private void publishKong() throws Exception {
        var kong = new PlanSnapshot("kong", 1, "Kong", "", 30, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 3000, "USD",
                "price_kong_month")), 1000, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED,
                Instant.now(), BillingMode.IN_ARREARS);
        TestEvents.publish(Events.PLAN_PUBLISHED, "kong", "kong", json.writeValueAsString(kong));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/catalog/plans").then()
                .body("code", Matchers.hasItem("kong")));
    }
}
