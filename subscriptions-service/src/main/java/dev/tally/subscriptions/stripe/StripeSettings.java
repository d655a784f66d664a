package dev.tally.subscriptions.stripe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Stripe's settings ({@code tally.stripe.*}); used when {@code tally.payments.provider=stripe}.
 * Keys come from the environment (STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET), never from the repository.
 */
@ConfigMapping(prefix = "tally.stripe")
public interface StripeSettings {

    /** The secret API key ({@code sk_test_...} in test mode). */
    Optional<String> apiKey();

    /** The webhook endpoint's signing secret ({@code whsec_...}). */
    Optional<String> webhookSecret();

    /** How old a signed webhook may be: Stripe's default is five minutes. */
    @WithDefault("PT5M")
    Duration webhookTolerance();

    /** Where the Stripe API is; tests point it at a local stub. */
    @WithDefault("https://api.stripe.com")
    String apiBase();

    /** Retries of a failed call (stripe-java resends with the same idempotency key). */
    @WithDefault("2")
    int maxNetworkRetries();

    @WithDefault("PT10S")
    Duration readTimeout();

    /** How long a subscription may stay past due after a failed payment before it reverts to the free plan. */
    @WithDefault("P7D")
    Duration pastDueGrace();

    /**
     * How often due graces are looked for by their stored end instant against the service clock (a
     * scheduler expression such as 1s): the revert lands within this of the instant.
     */
    @WithDefault("1s")
    String graceCheckEvery();
}
