package dev.tally.subscriptions.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code POST /webhooks/stripe}: authenticated by Stripe's signature only, checked on the raw body
 * with the configured secret and tolerance (a missing, wrong or stale signature is 400 and changes
 * nothing). The event id is recorded once, in the transaction that applies it: a replay is 200 and
 * does nothing. Applying is a few database statements, so Stripe gets its 2xx quickly.
 */
@Path("/webhooks/stripe")
@PermitAll
public class StripeWebhookResource {
    private final StripeSettings settings;
    private final StripeWebhooks webhooks;
    private final StripeLinks links;
    private final Pool pool;
    private final ObjectMapper json;
    private final TallyClock clock;

    public StripeWebhookResource(StripeSettings settings, StripeWebhooks webhooks, StripeLinks links, Pool pool, ObjectMapper json,
                                 TallyClock clock) {
        this.settings = settings;
        this.webhooks = webhooks;
        this.links = links;
        this.pool = pool;
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
        }
        JsonNode event = parse(body);
        String id = event.path("id").asText();
        String type = event.path("type").asText();
        long created = event.path("created").asLong();
        JsonNode object = event.path("data").path("object");
        return pool.withTransaction(tx -> links.recordEvent(tx, id, type, created, clock.instant())
                .flatMap(fresh -> fresh ? webhooks.apply(tx, type, created, object).replaceWith(new Received(id, false))
                        : Uni.createFrom().item(new Received(id, true))));
    }

    private JsonNode parse(String body) {
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (Exception e) {
            throw ProblemException.badRequest("event_unreadable", "The body is not a JSON Stripe event.");
        }
        for (var field : Map.of("id", "an event id", "type", "a type", "api_version", "an API version").entrySet()) {
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
