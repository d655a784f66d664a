package dev.tally.subscriptions.payment;

import io.smallrye.mutiny.Uni;

/**
 * Where money is taken. {@code local} (the default) is a sandbox that settles at once; a Stripe
 * adapter (not built yet) would settle through Checkout and webhooks.
 */
public interface PaymentGateway {

    /** A payment's outcome: settled now, with the gateway's reference. */
    record Settlement(String reference, boolean settled) {
    }

    /** Takes {@code amountMinor} for {@code description}; the same idempotency key never charges twice. */
    Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String idempotencyKey);

    /**
     * Whether the account can be charged without a payment step first (free to paid needs one).
     * The sandbox always can; a real gateway asks whether a payment method is on file.
     */
    default Uni<Boolean> hasPaymentMethod(String accountId) {
        return Uni.createFrom().item(true);
    }
}
