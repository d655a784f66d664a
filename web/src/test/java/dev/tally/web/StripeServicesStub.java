package dev.tally.web;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The four services stood in for by one stub on a free port of 127.0.0.1 (answers set per test),
 * with payments through Stripe, so the page offers Checkout and the customer portal.
 */
public final class StripeServicesStub implements QuarkusTestProfile {
    static final WireMockServer SERVER = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

    static {
        SERVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String base = "http://127.0.0.1:" + SERVER.port();
        return Map.of("tally.web.plans-url", base, "tally.web.subscriptions-url", base, "tally.web.credits-url", base,
                "tally.web.scheduler-url", base, "tally.web.payments-provider", "stripe",
                "tally.web.public-url", "https://billing.example.com");
    }
}
