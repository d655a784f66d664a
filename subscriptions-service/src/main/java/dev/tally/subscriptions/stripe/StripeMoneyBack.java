package dev.tally.subscriptions.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.subscriptions.repository.TopupPurchases;
import dev.tally.subscriptions.service.TopupRefunds;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Refunds and disputes started in Stripe, for top-ups: {@code charge.refunded} carries the charge's
 * {@code amount_refunded} (every refund so far), {@code charge.dispute.created} the dispute's
 * {@code amount}. Each raises the purchase's figure to Stripe's ({@link TopupRefunds#moneyBack}),
 * so the webhook of a refund made through Tally, or a replay, adds nothing. The purchase is found by
 * the payment intent (or the charge) Checkout paid it with; a charge that is no top-up of ours
 * (a subscription's invoice) changes nothing here.
 */
@ApplicationScoped
public class StripeMoneyBack {
    private static final Logger LOG = Logger.getLogger(StripeMoneyBack.class);
    private final TopupRefunds refunds;
    private final TopupPurchases purchases;

    public StripeMoneyBack(TopupRefunds refunds, TopupPurchases purchases) {
        this.refunds = refunds;
        this.purchases = purchases;
    }

    public Uni<Void> refunded(Tx tx, JsonNode charge) {
        long refunded = charge.path("amount_refunded").asLong(0);
        return refunds.moneyBack(tx, purchase(tx, charge, StripeWebhooks.text(charge, "id")), refunded, null, "REFUND",
                StripeWebhooks.text(charge, "id"), "refunded in Stripe", null).map(this::logged).replaceWithVoid();
    }

    public Uni<Void> disputed(Tx tx, JsonNode dispute) {
        long amount = dispute.path("amount").asLong(0);
        return refunds.moneyBack(tx, purchase(tx, dispute, StripeWebhooks.text(dispute, "charge")), null, amount, "DISPUTE",
                StripeWebhooks.text(dispute, "id"), "disputed: " + Optional.ofNullable(StripeWebhooks.text(dispute, "reason")).orElse("no reason"),
                null).map(this::logged).replaceWithVoid();
    }

    private Uni<Optional<TopupPurchases.Purchase>> purchase(Tx tx, JsonNode object, String chargeId) {
        String intent = StripeWebhooks.text(object, "payment_intent");
        Uni<Optional<TopupPurchases.Purchase>> byIntent = intent == null ? Uni.createFrom().item(Optional.empty()) : purchases.lockByPayment(tx, intent);
        return byIntent.flatMap(found -> found.isPresent() || chargeId == null ? Uni.createFrom().item(found) : purchases.lockByPayment(tx, chargeId));
    }

    private Optional<TopupRefunds.RefundView> logged(Optional<TopupRefunds.RefundView> view) {
        if (view.isEmpty()) {
            LOG.debug("a Stripe refund or dispute of a payment that is no top-up of ours: nothing to claw back");
        }
        return view;
    }
}
