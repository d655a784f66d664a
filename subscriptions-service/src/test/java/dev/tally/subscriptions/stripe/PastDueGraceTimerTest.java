package dev.tally.subscriptions.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.backbone.clock.TallyClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The past-due grace ends at its instant (issue 17): the end is fixed when the payment fails, and
 * the per-second check compares it with the service clock, so on a frozen clock nothing happens one
 * second before it and the account is on Free within moments of the clock reaching it.
 */
@QuarkusTest
@TestProfile(PastDueGraceTimerTest.GraceOfAnHour.class)
class PastDueGraceTimerTest extends StripeHarness {
    @Inject
    TallyClock clock;

    /** The Stripe stub, with a one-hour grace checked every second. */
    public static final class GraceOfAnHour implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new StripeStub().getConfigOverrides());
            config.put("tally.stripe.past-due-grace", "PT1H");
            config.put("tally.stripe.grace-check-every", "1s");
            return config;
        }
    }

    @AfterEach
    void runningClock() {
        clock.reset();
    }

    @Test
    void theGraceEndsAtItsInstantOnTheServiceClock() throws Exception {
        String acc = subscribedThroughStripe("sub_grace_1");
        STRIPE.stubFor(delete(urlPathEqualTo("/v1/subscriptions/sub_grace_1")).willReturn(okJson(subscriptionJson("sub_grace_1", "canceled"))));
        Instant failedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(failedAt, true);
        webhook(event("invoice.payment_failed.json", failedAt, o -> {
            o.put("subscription", "sub_grace_1");
            ((ObjectNode) o.path("parent").path("subscription_details")).put("subscription", "sub_grace_1");
        }));
        subscription(acc).then().body("status", Matchers.equalTo("PAST_DUE"));
        assertEquals(1, count("SELECT count(*) FROM stripe_subscription WHERE subscription_id = 'sub_grace_1' AND grace_ends_at = $1",
                failedAt.plus(Duration.ofHours(1)).atOffset(java.time.ZoneOffset.UTC)), "the grace's end is stored when it begins");

        clock.set(failedAt.plus(Duration.ofHours(1)).minusSeconds(1), true);
        Thread.sleep(2500); // two checks and more
        subscription(acc).then().body("planCode", Matchers.equalTo("plus")).body("status", Matchers.equalTo("PAST_DUE"));
        STRIPE.verify(0, deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_grace_1")));

        clock.advance(Duration.ofSeconds(1)); // exactly the grace's end
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> subscription(acc).then()
                .body("planCode", Matchers.equalTo("free")).body("status", Matchers.equalTo("ACTIVE")));
        STRIPE.verify(1, deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_grace_1")));
        assertEquals(1, count("SELECT count(*) FROM notification WHERE account_id = $1 AND kind = 'reverted-to-free'", acc));
    }
}
