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
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Top-ups (sales inquiries: {@link dev.tally.subscriptions.sales.SalesInquiries}). A top-up is paid through the gateway first; only a settled payment
 * is recorded and announced ({@code topup.purchased}), and credits-service grants it once. The
 * charge runs in the request's transaction, which locks no shared row: the local sandbox settles
 * in-process, and with Stripe a pack is bought through Checkout ({@code checkout_required}), whose
 * session is opened before any transaction.
 */
@ApplicationScoped
public class PurchaseService {
    private final Catalog catalog;
    private final PaymentGateway payments;
    private final Outbox outbox;
    private final TallyClock clock;

    public PurchaseService(Catalog catalog, PaymentGateway payments, Outbox outbox, TallyClock clock) {
        this.catalog = catalog;
        this.payments = payments;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<TopupPurchased> buyTopup(SqlConnection tx, String accountId, String packCode, String idempotencyKey) {
        return catalog.creditPack(packCode).flatMap(found -> {
            var pack = found.filter(p -> p.status() == PlanSnapshot.PlanStatus.PUBLISHED)
                    .orElseThrow(() -> ProblemException.notFound("credit_pack_not_found", "No credit pack " + packCode + " for sale."));
            UUID purchaseId = UUID.randomUUID();
            String key = idempotencyKey != null ? accountId + ":" + idempotencyKey : purchaseId.toString();
            return payments.charge(accountId, pack.amountMinor(), pack.currency(), "credit pack " + pack.code(), key).flatMap(settlement -> {
                if (!settlement.settled()) {
                    throw new ProblemException(402, "payment_not_settled", "The payment for " + pack.code() + " did not settle.");
                }
                return recordTopup(tx, purchaseId, accountId, pack, settlement.reference());
            });
        });
    }

    /**
     * A settled purchase of {@code pack}: recorded, listed with the account's charges (kind TOPUP) and
     * announced ({@code topup.purchased}) in the caller's transaction.
     */
    public Uni<TopupPurchased> recordTopup(SqlConnection tx, UUID purchaseId, String accountId, CreditPackSnapshot pack, String paymentRef) {
        var now = clock.instant();
        var purchase = new TopupPurchased(purchaseId, accountId, pack.code(), pack.credits(), pack.amountMinor(), pack.currency(), now);
        return tx.preparedQuery("INSERT INTO topup_purchase (id, account_id, pack_code, credits, amount_minor, currency, payment_ref, settled_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(List.of(purchaseId, accountId, pack.code(), pack.credits(), pack.amountMinor(), pack.currency(),
                        paymentRef, now.atOffset(ZoneOffset.UTC))))
                .flatMap(x -> tx.preparedQuery("INSERT INTO charge (account_id, kind, description, amount_minor, currency, payment_ref, "
                                + "created_at, pack_code, pack_credits) VALUES ($1, 'TOPUP', $2, $3, $4, $5, $6, $7, $8)")
                        .execute(Tuple.from(List.of(accountId, "credit pack " + pack.code(), pack.amountMinor(), pack.currency(), paymentRef,
                                now.atOffset(ZoneOffset.UTC), pack.code(), pack.credits()))))
                .flatMap(x -> outbox.add(tx, OutgoingEvent.forAccount(Events.TOPUP_PURCHASED, accountId, purchase, now)))
                .replaceWith(purchase);
    }
}
