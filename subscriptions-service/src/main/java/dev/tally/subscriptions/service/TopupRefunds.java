package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.TopupRefunded;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.repository.TopupPurchases;
import dev.tally.subscriptions.repository.TopupPurchases.Purchase;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Money of a top-up going back (docs/rules.md, Lots). An admin's refund is decided and made at the
 * gateway with no transaction open ({@link #decide}: the purchase read unlocked, the gateway called
 * with a key derived from the request's), then applied in one short transaction ({@link #apply}:
 * the purchase locked). Stripe's {@code charge.refunded} and {@code charge.dispute.created} arrive
 * through {@link #moneyBack} too. Every path keeps the purchase's figures cumulative and only ever
 * raises them, so a repeat, a retry or the webhook echoing a refund made here adds nothing: a
 * negative charge line and {@code topup.refunded} for what went back now, or nothing.
 */
@ApplicationScoped
public class TopupRefunds {
    private final TopupPurchases purchases;
    private final PaymentGateway payments;
    private final Outbox outbox;
    private final TallyClock clock;

    public TopupRefunds(TopupPurchases purchases, PaymentGateway payments, Outbox outbox, TallyClock clock) {
        this.purchases = purchases;
        this.payments = payments;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What a purchase's money is now: paid, refunded, disputed, what may still be refunded; {@code reference}: this step's, if any. */
    public record RefundView(UUID purchaseId, String accountId, String packCode, long credits, long amountMinor, String currency,
                             long refundedMinor, long disputedMinor, long refundableMinor, String reference) {
        static RefundView of(Purchase p, String reference) {
            return new RefundView(p.id(), p.accountId(), p.packCode(), p.credits(), p.amountMinor(), p.currency(), p.refundedMinor(),
                    p.disputedMinor(), p.refundableMinor(), reference);
        }
    }

    /** A refund the gateway made, to apply. */
    public record Decided(UUID purchaseId, PaymentGateway.Refund refund, String reason, String actedBy) {
    }

    /** Reads the purchase (no lock), checks the amount (null: all that is left) and refunds it at the gateway. */
    public Uni<Decided> decide(String accountId, UUID purchaseId, Long amountMinor, String reason, String actedBy, String key) {
        return purchases.ofAccount(accountId, purchaseId).flatMap(found -> {
            Purchase p = found.orElseThrow(() -> ProblemException.naming(404, "purchase_not_found",
                    "No top-up purchase " + purchaseId + " on account " + accountId + ".", "purchaseId"));
            if (p.refundableMinor() == 0) {
                throw ProblemException.conflict("already_refunded", "Top-up " + purchaseId + " was refunded or disputed in full already.");
            }
            long amount = amountMinor == null ? p.refundableMinor() : amountMinor;
            if (amount > p.refundableMinor()) {
                throw ProblemException.naming(422, "refund_exceeds_payment", "At most " + p.refundableMinor() + " " + p.currency()
                        + " of top-up " + purchaseId + " can still be refunded.", "amountMinor");
            }
            String refundKey = purchaseId + "-" + (key != null ? key : UUID.randomUUID().toString());
            return payments.refund(new PaymentGateway.RefundOrder(accountId, p.paymentRef(), amount, p.refundedMinor(), p.currency(),
                    reason, refundKey)).map(refund -> new Decided(purchaseId, refund, reason, actedBy));
        });
    }

    /** Applies a refund the gateway made: the purchase locked, its refunded figure raised to the gateway's. */
    public Uni<RefundView> apply(Tx tx, Decided d) {
        return moneyBack(tx, purchases.lock(tx, d.purchaseId()), d.refund().refundedMinor(), null, "REFUND", d.refund().reference(),
                d.reason(), d.actedBy()).map(view -> view.orElseThrow());
    }

    /**
     * Raises the locked purchase's refunded or disputed figure (cumulative; a lower or equal one changes
     * nothing) and, for what that adds, writes the negative charge line and {@code topup.refunded}.
     * Empty when the purchase is not Tally's.
     */
    public Uni<Optional<RefundView>> moneyBack(Tx tx, Uni<Optional<Purchase>> locked, Long refundedMinor, Long disputedMinor,
                                               String cause, String reference, String reason, String actedBy) {
        return locked.flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.empty());
            }
            Purchase p = found.get();
            Purchase after = new Purchase(p.id(), p.accountId(), p.packCode(), p.credits(), p.amountMinor(), p.currency(), p.paymentRef(),
                    Math.max(p.refundedMinor(), Math.min(p.amountMinor(), refundedMinor == null ? 0 : refundedMinor)),
                    Math.max(p.disputedMinor(), Math.min(p.amountMinor(), disputedMinor == null ? 0 : disputedMinor)));
            long backNow = after.takenBackMinor() - p.takenBackMinor();
            if (after.equals(p)) {
                return Uni.createFrom().item(Optional.of(RefundView.of(p, reference)));
            }
            var now = clock.instant();
            String kind = "DISPUTE".equals(cause) ? "TOPUP_DISPUTE" : "TOPUP_REFUND";
            Uni<Void> written = purchases.moneyBack(tx, after, kind, backNow, reference, reason, actedBy, now);
            if (backNow > 0) {
                var event = new TopupRefunded(p.id(), p.accountId(), p.packCode(), p.credits(), p.amountMinor(), p.currency(),
                        after.takenBackMinor(), cause, reference, reason, actedBy, now);
                written = written.flatMap(x -> outbox.add(tx, OutgoingEvent.forAccount(Events.TOPUP_REFUNDED, p.accountId(), event, now)));
            }
            return written.replaceWith(Optional.of(RefundView.of(after, reference)));
        });
    }
}
