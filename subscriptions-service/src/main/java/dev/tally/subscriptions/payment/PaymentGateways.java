package dev.tally.subscriptions.payment;

import dev.tally.subscriptions.stripe.StripePaymentGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the payment gateway at start-up from {@code tally.payments.provider}: {@code local} (default) or {@code stripe}. */
@ApplicationScoped
public class PaymentGateways {

    @Produces
    @ApplicationScoped
    PaymentGateway gateway(@ConfigProperty(name = "tally.payments.provider", defaultValue = "local") String provider,
                           LocalPaymentGateway local, StripePaymentGateway stripe) {
        return switch (provider) {
            case "local" -> local;
            case "stripe" -> stripe;
            default -> throw new IllegalStateException("tally.payments.provider must be local or stripe, was " + provider);
        };
    }

    /** Whether Stripe is the gateway (checkout sessions and webhooks are only used then). */
    public static boolean stripe(String provider) {
        return "stripe".equals(provider);
    }
}
