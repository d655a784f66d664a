package dev.tally.subscriptions.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tally.testsupport.TestStripe;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The shared local stand-in for api.stripe.com ({@link TestStripe}), also answering for plans-service's
 * change policy, with Stripe-shaped JSON answers stubbed per test. The profile switches this service
 * to the Stripe gateway with throwaway test keys.
 */
public final class StripeStub implements QuarkusTestProfile {
    static final String WEBHOOK_SECRET = TestStripe.WEBHOOK_SECRET;
    static final WireMockServer SERVER = TestStripe.server();

    @Override
    public Map<String, String> getConfigOverrides() {
        String base = TestStripe.baseUrl();
        return Map.of(
                "tally.payments.provider", "stripe",
                "tally.stripe.api-key", TestStripe.API_KEY,
                "tally.stripe.webhook-secret", WEBHOOK_SECRET,
                "tally.stripe.api-base", base,
                "tally.stripe.max-network-retries", "0",
                "tally.stripe.read-timeout", "PT2S",
                "tally.stripe.grace-check-every", "1h",
                "quarkus.rest-client.credits.url", base,
                // few connections, so a request that needed a second one while its transaction holds the
                // first would run the pool dry under a handful of concurrent requests
                "quarkus.datasource.reactive.max-size", "4");
    }
}
