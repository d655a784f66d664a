package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.subscriptions.payment.PaymentGateway;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Tx;
import dev.tally.subscriptions.repository.TopupPurchases;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Top-ups (sales inquiries: {@link dev.tally.subscriptions.sales.SalesInquiries}). A top-up is paid through the gateway first; only a settled payment
 * is recorded and announced ({@code topup.purchased}), and credits-service grants it once. The
 * payment is made before the request's transaction opens: the local sandbox settles in-process, and
 * with Stripe a pack is bought through Checkout ({@code checkout_required}), whose session is opened
 * before any transaction too.
 */
@ApplicationScoped
public class PurchaseService {
    private final Catalog catalog;
    private final PaymentGateway payments;
    private final Outbox outbox;
    private final TallyClock clock;
    private final TopupPurchases topups;

    public PurchaseService(Catalog catalog, PaymentGateway payments, Outbox outbox, TallyClock clock, TopupPurchases topups) {
        this.topups = topups;
        this.catalog = catalog;
        this.payments = payments;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A pack paid at the gateway, to record. */
    public record Paid(UUID purchaseId, String accountId, CreditPackSnapshot pack, String paymentRef) {
    }

    /**
     * Pays for a pack with no transaction open (the sandbox settles in-process; Stripe answers
     * {@code checkout_required}); the gateway's key derives from the request's Idempotency-Key, so a
     * retry after a crash before {@link #recordTopup(Tx, Paid)} pays nothing twice.
     */
    public Uni<Paid> payTopup(String accountId, String packCode, String idempotencyKey) {
        return catalog.creditPack(packCode).flatMap(found -> {
            var pack = found.filter(p -> p.status() == PlanSnapshot.PlanStatus.PUBLISHED)
                    .orElseThrow(() -> ProblemException.notFound("credit_pack_not_found", "No credit pack " + packCode + " for sale."));
            UUID purchaseId = UUID.randomUUID();
            String key = idempotencyKey != null ? accountId + ":" + idempotencyKey : purchaseId.toString();
            return payments.charge(accountId, pack.amountMinor(), pack.currency(), "credit pack " + pack.code(), key).map(settlement -> {
                if (!settlement.settled()) {
                    throw new ProblemException(402, "payment_not_settled", "The payment for " + pack.code() + " did not settle.");
                }
                return new Paid(purchaseId, accountId, pack, settlement.reference());
            });
        });
    }

    /** Records a paid pack, in the request's transaction. */
    public Uni<TopupPurchased> recordTopup(Tx tx, Paid paid) {
        return recordTopup(tx, paid.purchaseId(), paid.accountId(), paid.pack(), paid.paymentRef());
    }

    /**
     * A settled purchase of {@code pack}: recorded, listed with the account's charges (kind TOPUP) and
     * announced ({@code topup.purchased}) in the caller's transaction (a session's, or the Stripe webhook's connection).
     */
    public Uni<TopupPurchased> recordTopup(Tx tx, UUID purchaseId, String accountId, CreditPackSnapshot pack, String paymentRef) {
        var now = clock.instant();
        var purchase = new TopupPurchased(purchaseId, accountId, pack.code(), pack.credits(), pack.amountMinor(), pack.currency(), now);
        return topups.record(tx, new TopupPurchases.Purchase(purchaseId, accountId, pack.code(), pack.credits(), pack.amountMinor(),
                        pack.currency(), paymentRef, 0, 0), now)
                .flatMap(x -> outbox.add(tx, OutgoingEvent.forAccount(Events.TOPUP_PURCHASED, accountId, purchase, now)))
                .replaceWith(purchase);
    }
}
