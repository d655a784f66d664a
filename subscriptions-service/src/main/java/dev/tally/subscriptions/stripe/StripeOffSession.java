package dev.tally.subscriptions.stripe;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCreateParams;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.payment.PaymentGateway.Settlement;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Off-session payments (auto top-ups): a PaymentIntent confirmed at once on the customer's default
 * payment method ({@code invoice_settings.default_payment_method}, what Checkout and the portal
 * save), {@code off_session=true}, with Tally's idempotency key, so a retry replays Stripe's first
 * answer and never charges twice. {@code succeeded} settles; a declined card (Stripe's card_error),
 * {@code requires_payment_method} or {@code requires_action} (the bank wants the customer present)
 * is a 402; {@code processing} is read again by id and, still processing, retried later.
 */
@ApplicationScoped
public class StripeOffSession {
    private final StripeApi stripe;
    private final StripeLinks links;

    public StripeOffSession(StripeApi stripe, StripeLinks links) {
        this.stripe = stripe;
        this.links = links;
    }

    public Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String key) {
        return links.customer(accountId).flatMap(customer -> {
            if (customer.isEmpty()) {
                return Uni.createFrom().failure(noPaymentMethod(accountId));
            }
            return stripe.call(null, (client, options) -> client.v1().customers().retrieve(customer.get(), options)).flatMap(c -> {
                String method = c.getInvoiceSettings() == null ? null : c.getInvoiceSettings().getDefaultPaymentMethod();
                if (method == null) {
                    return Uni.createFrom().failure(noPaymentMethod(accountId));
                }
                var params = PaymentIntentCreateParams.builder().setAmount(amountMinor).setCurrency(currency.toLowerCase(Locale.ROOT))
                        .setCustomer(customer.get()).setPaymentMethod(method).setOffSession(true).setConfirm(true)
                        .setDescription(description).putMetadata("account_id", accountId).putMetadata("tally_key", key).build();
                return stripe.call("offsession-" + key, (client, options) -> client.v1().paymentIntents().create(params, options))
                        .flatMap(pi -> "processing".equals(pi.getStatus())
                                ? stripe.<PaymentIntent>call(null, (client, options) -> client.v1().paymentIntents().retrieve(pi.getId(), options))
                                : Uni.createFrom().<PaymentIntent>item(pi))
                        .map(StripeOffSession::outcome);
            });
        });
    }

    private static Settlement outcome(PaymentIntent pi) {
        return switch (pi.getStatus()) {
            case "succeeded" -> new Settlement(pi.getId(), true);
            case "processing" -> throw new ProblemException(503, "payment_processing", "Stripe is still processing " + pi.getId() + ".");
            case "requires_action" -> throw new ProblemException(402, "authentication_required",
                    "The bank asks the customer to confirm " + pi.getId() + "; an off-session payment cannot.");
            default -> throw new ProblemException(402, "card_declined", "Stripe did not take the payment " + pi.getId() + " (" + pi.getStatus() + ").");
        };
    }

    private static ProblemException noPaymentMethod(String accountId) {
        return new ProblemException(402, "payment_method_required", "Account " + accountId + " has no saved payment method at Stripe.");
    }
}
