package dev.tally.subscriptions.stripe;

import com.stripe.param.RefundCreateParams;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.payment.PaymentGateway.Refund;
import dev.tally.subscriptions.payment.PaymentGateway.RefundOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refunds of top-ups through Stripe's Refunds API ({@code POST /v1/refunds} on the purchase's payment
 * intent), on a worker thread and outside any transaction (StripeApi). The Stripe idempotency key is
 * the caller's, so a retry replays Stripe's first answer and never refunds twice. The charge is
 * expanded in the answer: its {@code amount_refunded} is what the payment has been refunded in all,
 * the figure Tally keeps (the same one {@code charge.refunded} carries later).
 */
@ApplicationScoped
public class StripeRefunds {
    private final StripeApi stripe;

    public StripeRefunds(StripeApi stripe) {
        this.stripe = stripe;
    }

    public Uni<Refund> refund(RefundOrder order) {
        String ref = order.paymentRef();
        if (ref == null || !(ref.startsWith("pi_") || ref.startsWith("ch_"))) {
            return Uni.createFrom().failure(ProblemException.unprocessable("refund_not_supported",
                    "This purchase has no Stripe payment intent to refund (" + ref + "); refund it in the Stripe dashboard."));
        }
        var params = RefundCreateParams.builder().setAmount(order.amountMinor()).addExpand("charge")
                .putMetadata("account_id", order.accountId());
        if (order.reason() != null) {
            params.putMetadata("tally_reason", order.reason());
        }
        if (ref.startsWith("pi_")) {
            params.setPaymentIntent(ref);
        } else {
            params.setCharge(ref);
        }
        return stripe.call("refund-" + order.idempotencyKey(), (client, options) -> client.v1().refunds().create(params.build(), options))
                .map(refund -> new Refund(refund.getId(), refund.getChargeObject() != null && refund.getChargeObject().getAmountRefunded() != null
                        ? refund.getChargeObject().getAmountRefunded() : order.refundedBeforeMinor() + order.amountMinor()));
    }
}
