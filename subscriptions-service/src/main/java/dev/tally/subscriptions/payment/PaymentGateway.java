package dev.tally.subscriptions.payment;

import dev.tally.contracts.subscriptions.ChangeTiming;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Tx;

/**
 * Where money is taken ({@code tally.payments.provider}). {@code local} (the default) is a sandbox
 * that settles at once; {@code stripe} bills through Stripe (Checkout for the first payment, the
 * Stripe subscription for changes and renewals, webhooks for the outcome). Tally decides what a
 * change means; the gateway mirrors it where the money is.
 */
public interface PaymentGateway {
    // Calls that reach the provider (planChanged, cancellationChanged, chargeSaved, refund,
    // usageBilled) take no transaction: they are made with none open, so no row lock and no pooled
    // connection is held while the provider answers (the gateway reads its own links in a session of
    // its own). What Tally keeps of their outcome is written afterwards by the matching ...Recorded
    // method, in the transaction that applies the change. Methods that run inside a transaction take
    // it as a Tx and read and write only through it: a second pooled connection while that
    // transaction holds one could exhaust the pool under a burst of changes.

    /** A payment's outcome: settled now, with the gateway's reference. */
    record Settlement(String reference, boolean settled) {
    }

    /**
     * A plan change Tally made (or scheduled), for the gateway to bill: {@code payNowMinor} is Tally's
     * figure after the customer balance; {@code stripePriceId} the target price (null for a free plan).
     */
    record PlanChangeOrder(String accountId, String toPlan, String stripePriceId, ChangeTiming timing, long payNowMinor,
                           String currency, String description, String idempotencyKey, Intent intent) {
    }

    /**
     * Tally's change as the provider keeps it next to its own (Stripe: the subscription's metadata),
     * so that if this service stops between the provider's answer and applying the change, the
     * provider's webhook carries enough to apply exactly the change that was asked: the plan and
     * interval, the timing, the instant it was quoted at, the subscription revision it produces, and
     * who made it and why when support did ({@code actedBy}, {@code reason}; null otherwise).
     */
    record Intent(String plan, dev.tally.contracts.plans.BillingInterval interval, ChangeTiming timing,
                  java.time.Instant quotedAt, long revision, String actedBy, String reason) {
    }

    /**
     * A refund of {@code amountMinor} of a settled payment ({@code paymentRef}), of which
     * {@code refundedBeforeMinor} was refunded already as far as Tally knows.
     */
    record RefundOrder(String accountId, String paymentRef, long amountMinor, long refundedBeforeMinor, String currency, String reason,
                       String idempotencyKey) {
    }

    /** A refund made: its reference, and what the payment has been refunded in all now, as the gateway counts it. */
    record Refund(String reference, long refundedMinor) {
    }

    /**
     * Refunds a payment (outside any transaction); the same idempotency key never refunds twice. A
     * gateway that cannot refunds nothing and says so.
     */
    default Uni<Refund> refund(RefundOrder order) {
        return Uni.createFrom().failure(dev.tally.backbone.problem.ProblemException.unprocessable("refund_not_supported",
                "This payment gateway cannot refund payments."));
    }

    /** Takes {@code amountMinor} for {@code description}; the same idempotency key never charges twice. */
    Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String idempotencyKey);

    /**
     * An off-session payment on the account's saved payment method (an auto top-up), outside any
     * transaction; the same idempotency key never charges twice. A refusal that will not change on a
     * retry (declined, no payment method) fails with a 402 problem; anything else (unreachable, still
     * processing) fails otherwise and is retried with the same key. The sandbox charges as {@link #charge}.
     */
    default Uni<Settlement> chargeSaved(String accountId, long amountMinor, String currency, String description,
                                        String idempotencyKey) {
        return charge(accountId, amountMinor, currency, description, idempotencyKey);
    }

    /**
     * Whether the account can be charged without a payment step first (free to paid needs one).
     * The sandbox always can; Stripe can once the account has a Stripe subscription.
     */
    default Uni<Boolean> hasPaymentMethod(String accountId) {
        return Uni.createFrom().item(true);
    }

    /** Bills a plan change (outside any transaction); null settlement when nothing is due now. */
    default Uni<Settlement> planChanged(PlanChangeOrder order) {
        return order.payNowMinor() <= 0 ? Uni.createFrom().nullItem()
                : charge(order.accountId(), order.payNowMinor(), order.currency(), order.description(), order.idempotencyKey());
    }

    /** Bills a new period (renewal, or a scheduled change or revert taking effect), in the period end's transaction; null when nothing is due. */
    default Uni<Settlement> periodStarted(Tx tx, String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return amountMinor <= 0 ? Uni.createFrom().nullItem() : charge(accountId, amountMinor, currency, description, idempotencyKey);
    }

    /**
     * Collects an invoice billed in arrears on its billing date, in the period end's transaction (so
     * no remote call: the sandbox settles in-process); null when nothing is due. The same idempotency
     * key never charges twice.
     */
    default Uni<Settlement> invoiceDue(Tx tx, String accountId, long amountMinor, String currency, String description,
                                       String idempotencyKey) {
        return amountMinor <= 0 ? Uni.createFrom().nullItem() : charge(accountId, amountMinor, currency, description, idempotencyKey);
    }

    /** Keeps what the gateway needs of a billed plan change, in the transaction that applies it (called before the subscription is locked). */
    default Uni<Void> planChangeRecorded(Tx tx, PlanChangeOrder order, Settlement settlement) {
        return Uni.createFrom().voidItem();
    }

    /** The subscription was set to cancel at its period end, or resumed (outside any transaction). */
    default Uni<Void> cancellationChanged(String accountId, boolean cancelAtPeriodEnd, String idempotencyKey) {
        return Uni.createFrom().voidItem();
    }

    /** Keeps what the gateway needs of a cancel or resume, in the transaction that applies it (before the subscription is locked). */
    default Uni<Void> cancellationRecorded(Tx tx, String accountId, boolean cancelAtPeriodEnd) {
        return Uni.createFrom().voidItem();
    }

    /**
     * Closed overage to bill: the sandbox charges it at once, Stripe adds it to the next invoice. The
     * answer is the payment reference for its charge line (null when there is nothing to bill it to).
     * Outside any transaction; the same idempotency key never bills twice.
     */
    default Uni<String> usageBilled(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return charge(accountId, amountMinor, currency, description, idempotencyKey).map(Settlement::reference);
    }
}
