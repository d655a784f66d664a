package dev.tally.subscriptions.payment;

import dev.tally.contracts.subscriptions.ChangeTiming;
import io.smallrye.mutiny.Uni;

/**
 * Where money is taken ({@code tally.payments.provider}). {@code local} (the default) is a sandbox
 * that settles at once; {@code stripe} bills through Stripe (Checkout for the first payment, the
 * Stripe subscription for changes and renewals, webhooks for the outcome). Tally decides what a
 * change means; the gateway mirrors it where the money is.
 */
public interface PaymentGateway {

    /** A payment's outcome: settled now, with the gateway's reference. */
    record Settlement(String reference, boolean settled) {
    }

    /**
     * A plan change Tally made (or scheduled), for the gateway to bill: {@code payNowMinor} is Tally's
     * figure after the customer balance; {@code stripePriceId} the target price (null for a free plan).
     */
    record PlanChangeOrder(String accountId, String toPlan, String stripePriceId, ChangeTiming timing, long payNowMinor,
                           String currency, String description, String idempotencyKey) {
    }

    /** Takes {@code amountMinor} for {@code description}; the same idempotency key never charges twice. */
    Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String idempotencyKey);

    /**
     * Whether the account can be charged without a payment step first (free to paid needs one).
     * The sandbox always can; Stripe can once the account has a Stripe subscription.
     */
    default Uni<Boolean> hasPaymentMethod(String accountId) {
        return Uni.createFrom().item(true);
    }

    /** Bills a plan change; null settlement when nothing is due now. */
    default Uni<Settlement> planChanged(PlanChangeOrder order) {
        return order.payNowMinor() <= 0 ? Uni.createFrom().nullItem()
                : charge(order.accountId(), order.payNowMinor(), order.currency(), order.description(), order.idempotencyKey());
    }

    /** Bills a new period (renewal, or a scheduled change or revert taking effect); null when nothing is due. */
    default Uni<Settlement> periodStarted(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return amountMinor <= 0 ? Uni.createFrom().nullItem() : charge(accountId, amountMinor, currency, description, idempotencyKey);
    }

    /** The subscription was set to cancel at its period end, or resumed. */
    default Uni<Void> cancellationChanged(String accountId, boolean cancelAtPeriodEnd, String idempotencyKey) {
        return Uni.createFrom().voidItem();
    }

    /** Closed overage to bill with the next invoice; the sandbox records it as a charge line only. */
    default Uni<Void> usageBilled(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return Uni.createFrom().voidItem();
    }
}
