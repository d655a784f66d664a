package dev.tally.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for api.stripe.com, shared by subscriptions-service's Stripe tests and the e2e
 * journeys in Stripe mode: one WireMock server per JVM on a free port of 127.0.0.1 answering with
 * Stripe-shaped JSON, recorded Stripe webhook events (resources under {@code /stripe/}, provenance in
 * SOURCES.md there) and the signature Stripe puts on them. Throwaway keys only. Callers need
 * {@code org.wiremock:wiremock-standalone} on their test classpath (an optional dependency here).
 */
public final class TestStripe {
    public static final String API_KEY = "sk_test_local_only_not_a_real_key";
    public static final String WEBHOOK_SECRET = "whsec_local_test_only_not_a_real_secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;

    private TestStripe() {
    }

    /** The stub, started on first use and stopped when the JVM exits. */
    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    /** Where stripe-java is pointed ({@code tally.stripe.api-base}). */
    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }

    /** What opening a Checkout asks of Stripe: a customer and a checkout session, each with a fresh id as Stripe makes them. */
    public static void answerCustomersAndCheckouts() {
        server().stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(okJson(
                "{\"id\":\"cus_{{randomValue length=14 type='ALPHANUMERIC'}}\",\"object\":\"customer\",\"metadata\":{}}")
                .withTransformers("response-template")));
        server().stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(okJson(
                "{\"id\":\"cs_test_{{randomValue length=20 type='ALPHANUMERIC'}}\",\"object\":\"checkout.session\","
                        + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test\"}").withTransformers("response-template")));
    }

    /**
     * A subscription as Stripe's API answers it, with one item (si_test_1) at {@code priceId}; since
     * API 2025-03 the current period is on the item ({@code current_period_start/end}); none when
     * {@code periodStart} is null.
     */
    public static String subscription(String id, String status, String priceId, Instant periodStart, Instant periodEnd) {
        String period = periodStart == null ? ""
                : "\"current_period_start\":" + periodStart.getEpochSecond() + ",\"current_period_end\":" + periodEnd.getEpochSecond() + ",";
        return "{\"id\":\"" + id + "\",\"object\":\"subscription\",\"status\":\"" + status + "\",\"cancel_at_period_end\":false,"
                + "\"items\":{\"object\":\"list\",\"data\":[{\"id\":\"si_test_1\",\"object\":\"subscription_item\"," + period
                + "\"price\":{\"id\":\"" + priceId + "\",\"object\":\"price\"}}]}}";
    }

    /** A recorded event ({@code /stripe/<fixture>}) with a fresh id and {@code created}, its {@code data.object} edited by {@code edit}. */
    public static String event(String fixture, Instant created, Consumer<ObjectNode> edit) {
        try (InputStream in = TestStripe.class.getResourceAsStream("/stripe/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no Stripe fixture " + fixture);
            }
            ObjectNode event = (ObjectNode) JSON.readTree(in);
            event.put("id", "evt_" + UUID.randomUUID()).put("created", created.getEpochSecond());
            edit.accept((ObjectNode) event.path("data").path("object"));
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code Stripe-Signature} header Stripe sends at {@code at}: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, t + "." + payload)). */
    public static String signature(String payload, Instant at) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            long t = at.getEpochSecond();
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
