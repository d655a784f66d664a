package dev.tally.subscriptions;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The local payment sandbox, with credits-service (the
 * balance a preview shows) stood in for by a stub on a free port of 127.0.0.1, answers set per test.
 */
public final class NeighboursStub implements QuarkusTestProfile {
    static final WireMockServer SERVER = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

    static {
        SERVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String base = "http://127.0.0.1:" + SERVER.port();
        // accounts named acc-declines-... have their payments declined by the sandbox (auto top-up's failures)
        return Map.of("tally.payments.provider", "local", "quarkus.rest-client.credits.url", base,
                "tally.payments.local.declines", "acc-declines-.*");
    }
}
