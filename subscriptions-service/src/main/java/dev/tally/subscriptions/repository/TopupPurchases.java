package dev.tally.subscriptions.repository;

import dev.tally.backbone.tx.Tx;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Top-up purchases: recorded when settled, found by id (an admin's refund is decided on it, no
 * transaction open) or by the gateway's payment reference, locked, moved. What runs in a transaction
 * takes it ({@link Tx}) and runs as its statements on whichever connection it is: a purchase bought
 * through Stripe Checkout is recorded, and refunded or disputed, in the webhook's connection transaction.
 */
@ApplicationScoped
public class TopupPurchases implements PanacheRepositoryBase<TopupPurchase, UUID> {
    private static final String COLUMNS = "SELECT id, account_id, pack_code, credits, amount_minor, currency, payment_ref, refunded_minor, "
            + "disputed_minor FROM topup_purchase ";

    /** A purchase and what went back of its money: {@code refundedMinor} by refunds, {@code disputedMinor} by disputes. */
    public record Purchase(UUID id, String accountId, String packCode, long credits, long amountMinor, String currency, String paymentRef,
                           long refundedMinor, long disputedMinor) {
        /** What went back in all (never more than was paid). */
        public long takenBackMinor() {
            return Math.min(amountMinor, refundedMinor + disputedMinor);
        }

        public long refundableMinor() {
            return amountMinor - takenBackMinor();
        }
    }

    /** The account's purchase, read in a session of its own (no lock). */
    @WithSession
    public Uni<Optional<Purchase>> ofAccount(String accountId, UUID id) {
        return find("id = ?1 and accountId = ?2", id, accountId).firstResult().map(p -> Optional.ofNullable(p).map(TopupPurchases::view));
    }

    /** A settled purchase and its charge line (kind TOPUP), in {@code tx}. */
    public Uni<Void> record(Tx tx, Purchase p, Instant settledAt) {
        OffsetDateTime at = settledAt.atOffset(ZoneOffset.UTC);
        return tx.update("INSERT INTO topup_purchase (id, account_id, pack_code, credits, amount_minor, currency, payment_ref, settled_at) "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", p.id(), p.accountId(), p.packCode(), p.credits(), p.amountMinor(),
                        p.currency(), p.paymentRef(), at)
                .flatMap(x -> tx.update("INSERT INTO charge (account_id, kind, description, amount_minor, currency, payment_ref, "
                                + "created_at, pack_code, pack_credits) VALUES ($1, 'TOPUP', $2, $3, $4, $5, $6, $7, $8)", p.accountId(),
                        "credit pack " + p.packCode(), p.amountMinor(), p.currency(), p.paymentRef(), at, p.packCode(), p.credits()))
                .replaceWithVoid();
    }

    /** The purchase, locked for the rest of the transaction. */
    public Uni<Optional<Purchase>> lock(Tx tx, UUID id) {
        return tx.rows(COLUMNS + "WHERE id = $1 FOR UPDATE", id).map(TopupPurchases::first);
    }

    /** The purchase paid by this payment intent (or charge), locked: how Stripe's charge and dispute events name it. */
    public Uni<Optional<Purchase>> lockByPayment(Tx tx, String paymentRef) {
        return tx.rows(COLUMNS + "WHERE payment_ref = $1 ORDER BY settled_at LIMIT 1 FOR UPDATE", paymentRef).map(TopupPurchases::first);
    }

    /** The new figures, and the charge line of what went back now (negative, kind TOPUP_REFUND or TOPUP_DISPUTE). */
    public Uni<Void> moneyBack(Tx tx, Purchase after, String kind, long backNowMinor, String reference, String reason, String actedBy,
                               Instant now) {
        String what = ("TOPUP_DISPUTE".equals(kind) ? "dispute of credit pack " : "refund of credit pack ") + after.packCode();
        return tx.update("UPDATE topup_purchase SET refunded_minor = $2, disputed_minor = $3 WHERE id = $1", after.id(), after.refundedMinor(),
                        after.disputedMinor())
                .flatMap(x -> backNowMinor <= 0 ? Uni.createFrom().voidItem() : tx.update("INSERT INTO charge (account_id, kind, description, "
                                + "amount_minor, currency, payment_ref, created_at, pack_code, pack_credits, acted_by, reason) "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", after.accountId(), kind, what, -backNowMinor,
                        after.currency(), reference, now.atOffset(ZoneOffset.UTC), after.packCode(), after.credits(), actedBy, reason)
                        .replaceWithVoid());
    }

    private static Purchase view(TopupPurchase p) {
        return new Purchase(p.id, p.accountId, p.packCode, p.credits, p.amountMinor, p.currency, p.paymentRef, p.refundedMinor, p.disputedMinor);
    }

    private static Optional<Purchase> first(List<Object[]> rows) {
        return rows.stream().findFirst().map(r -> new Purchase((UUID) r[0], (String) r[1], (String) r[2], number(r[3]), number(r[4]),
                (String) r[5], (String) r[6], number(r[7]), number(r[8])));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
