package dev.tally.subscriptions.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.domain.BillingPeriod;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /webhooks/stripe}: authenticated by Stripe's signature only, checked on the raw body
 * with the configured secret and tolerance (a missing, wrong or stale signature is 400 and changes
 * nothing). The event id is recorded once, in the transaction that applies it: a replay is 200 and
 * does nothing. Applying is a few database statements, so Stripe gets its 2xx quickly; a completed
 * Checkout of a subscription first reads that subscription's period from Stripe (no transaction open).
 */
@Path("/webhooks/stripe")
@PermitAll
public class StripeWebhookResource {
    private final StripeSettings settings;
    private final StripeWebhooks webhooks;
    private final ObjectMapper json;
    private final TallyClock clock;
    private final StripeApi stripe;

    public StripeWebhookResource(StripeSettings settings, StripeWebhooks webhooks, ObjectMapper json,
                                 TallyClock clock, StripeApi stripe) {
        this.stripe = stripe;
        this.settings = settings;
        this.webhooks = webhooks;
        this.json = json;
        this.clock = clock;
    }

    public record Received(String eventId, boolean duplicate) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Received> receive(@HeaderParam("Stripe-Signature") String signature, String body) {
        String secret = settings.webhookSecret().filter(s -> !s.isBlank()).orElseThrow(() -> new ProblemException(503,
                "stripe_not_configured", "No Stripe webhook secret is set (STRIPE_WEBHOOK_SECRET)."));
        if (signature == null || signature.isBlank()) {
            throw ProblemException.badRequest("signature_missing", "The Stripe-Signature header is missing.");
        }
        try {
            Webhook.Signature.verifyHeader(body == null ? "" : body, signature, secret, settings.webhookTolerance().toSeconds(), clock);
        } catch (SignatureVerificationException e) {
            throw ProblemException.badRequest("signature_invalid", "The Stripe signature does not verify: " + e.getMessage());
        } catch (RuntimeException e) { // a malformed header (t=abc: the SDK's NumberFormatException) is the caller's error too
            throw ProblemException.badRequest("signature_invalid", "The Stripe-Signature header is malformed: it needs t=<seconds>,v1=<hex>.");
        }
        JsonNode event = parse(body);
        String id = event.path("id").asText();
        String type = event.path("type").asText();
        long created = event.path("created").asLong();
        JsonNode object = event.path("data").path("object");
        return checkoutPeriod(type, object).flatMap(period -> webhooks.receive(id, type, created, object, period))
                .map(fresh -> new Received(id, !fresh));
    }

    /**
     * The period of the subscription a completed Checkout created, as Stripe keeps it (its first
     * item's current period), read before any transaction opens; null for other events. Stripe not
     * answering fails the webhook (5xx), so Stripe sends it again: the plan is never applied with a
     * period Stripe does not bill.
     */
    private Uni<BillingPeriod> checkoutPeriod(String type, JsonNode object) {
        String subscriptionId = StripeWebhooks.text(object, "subscription");
        if (!"checkout.session.completed".equals(type) || subscriptionId == null) {
            return Uni.createFrom().nullItem();
        }
        return stripe.call(null, (client, options) -> client.v1().subscriptions().retrieve(subscriptionId, options)).map(sub -> {
            var items = sub.getItems() == null ? null : sub.getItems().getData();
            if (items == null || items.isEmpty() || items.get(0).getCurrentPeriodStart() == null || items.get(0).getCurrentPeriodEnd() == null) {
                return null;
            }
            return new BillingPeriod(Instant.ofEpochSecond(items.get(0).getCurrentPeriodStart()),
                    Instant.ofEpochSecond(items.get(0).getCurrentPeriodEnd()));
        });
    }

    private JsonNode parse(String body) {
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (Exception e) {
            throw ProblemException.badRequest("event_unreadable", "The body is not a JSON Stripe event.");
        }
        for (var field : Map.of("id", "event id", "type", "type", "api_version", "API version").entrySet()) {
            if (event == null || !event.path(field.getKey()).isTextual()) {
                throw ProblemException.badRequest("event_unreadable", "The Stripe event has no " + field.getValue() + " (" + field.getKey() + ").");
            }
        }
        if (!event.path("created").isNumber() || !event.path("data").path("object").isObject()) {
            throw ProblemException.badRequest("event_unreadable", "The Stripe event has no created time or data.object.");
        }
        return event;
    }
}
