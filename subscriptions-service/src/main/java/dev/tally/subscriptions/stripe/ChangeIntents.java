package dev.tally.subscriptions.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.payment.PaymentGateway.Intent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tally's plan change as Stripe keeps it in the subscription's metadata, written with the change
 * itself (one Stripe request, so Stripe never has the change without it) and read back from the
 * {@code customer.subscription.updated} webhook to apply a change this service did not get to
 * apply (it stopped between Stripe's answer and its own commit).
 */
final class ChangeIntents {
    private ChangeIntents() {
    }

    static Map<String, String> write(Intent intent) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("tally_plan", intent.plan(), "tally_interval", intent.interval().name(),
                "tally_timing", intent.timing().name(), "tally_quoted_at", intent.quotedAt().toString(),
                "tally_revision", Long.toString(intent.revision())));
        // Stripe keeps metadata until it is overwritten: an empty value removes what an earlier change by support left
        m.put("tally_acted_by", intent.actedBy() == null ? "" : intent.actedBy());
        m.put("tally_reason", intent.reason() == null ? "" : abbreviated(intent.reason()));
        return m;
    }

    /** Stripe takes metadata values up to 500 characters. */
    private static String abbreviated(String reason) {
        return reason.length() <= 500 ? reason : reason.substring(0, 499) + "…";
    }

    private static String optional(JsonNode m, String key) {
        String value = m.path(key).asText("");
        return value.isEmpty() ? null : value;
    }

    /** The intent a Stripe subscription object carries, if Tally wrote one and it reads back whole. */
    static Optional<Intent> read(JsonNode subscription) {
        JsonNode m = subscription.path("metadata");
        try {
            return Optional.of(new Intent(m.path("tally_plan").asText(), BillingInterval.valueOf(m.path("tally_interval").asText()),
                    ChangeTiming.valueOf(m.path("tally_timing").asText()), Instant.parse(m.path("tally_quoted_at").asText()),
                    Long.parseLong(m.path("tally_revision").asText()), optional(m, "tally_acted_by"), optional(m, "tally_reason")));
        } catch (RuntimeException e) {
            return Optional.empty(); // changed in the portal or the dashboard, or by an older Tally
        }
    }
}
