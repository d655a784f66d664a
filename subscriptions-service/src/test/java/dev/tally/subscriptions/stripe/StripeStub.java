package dev.tally.subscriptions.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A local stand-in for api.stripe.com (and for plans-service's change policy), on a free port of
 * 127.0.0.1, with Stripe-shaped JSON answers stubbed per test. The profile switches this service
 * to the Stripe gateway with throwaway test keys.
 */
public final class StripeStub implements QuarkusTestProfile {
    static final String WEBHOOK_SECRET = "whsec_local_test_only_not_a_real_secret";
    static final WireMockServer SERVER = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

    static {
        SERVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String base = "http://127.0.0.1:" + SERVER.port();
        return Map.of(
                "tally.payments.provider", "stripe",
                "tally.stripe.api-key", "sk_test_local_only_not_a_real_key",
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
