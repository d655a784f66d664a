package dev.tally.subscriptions.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** Top-up purchases as refunds and disputes need them: found by id or by the gateway's payment reference, locked, moved. */
@ApplicationScoped
public class TopupPurchases {
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

    public Uni<Optional<Purchase>> find(SqlClient client, String accountId, UUID id) {
        return client.preparedQuery(COLUMNS + "WHERE id = $1 AND account_id = $2").execute(Tuple.of(id, accountId)).map(TopupPurchases::first);
    }

    /** The purchase, locked for the rest of the transaction. */
    public Uni<Optional<Purchase>> lock(SqlClient tx, UUID id) {
        return tx.preparedQuery(COLUMNS + "WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)).map(TopupPurchases::first);
    }

    /** The purchase paid by this payment intent (or charge), locked: how Stripe's charge and dispute events name it. */
    public Uni<Optional<Purchase>> lockByPayment(SqlClient tx, String paymentRef) {
        return tx.preparedQuery(COLUMNS + "WHERE payment_ref = $1 ORDER BY settled_at LIMIT 1 FOR UPDATE").execute(Tuple.of(paymentRef))
                .map(TopupPurchases::first);
    }

    /** The new figures, and the charge line of what went back now (negative, kind TOPUP_REFUND or TOPUP_DISPUTE). */
    public Uni<Void> moneyBack(SqlClient tx, Purchase after, String kind, long backNowMinor, String reference, String reason, String actedBy,
                               Instant now) {
        String what = ("TOPUP_DISPUTE".equals(kind) ? "dispute of credit pack " : "refund of credit pack ") + after.packCode();
        return tx.preparedQuery("UPDATE topup_purchase SET refunded_minor = $2, disputed_minor = $3 WHERE id = $1")
                .execute(Tuple.of(after.id(), after.refundedMinor(), after.disputedMinor()))
                .flatMap(x -> backNowMinor <= 0 ? Uni.createFrom().voidItem() : tx.preparedQuery("INSERT INTO charge (account_id, kind, description, "
                                + "amount_minor, currency, payment_ref, created_at, pack_code, pack_credits, acted_by, reason) "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                        .execute(Tuple.from(Arrays.asList(after.accountId(), kind, what, -backNowMinor, after.currency(), reference,
                                now.atOffset(ZoneOffset.UTC), after.packCode(), after.credits(), actedBy, reason))).replaceWithVoid());
    }

    private static Optional<Purchase> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new Purchase(r.getUUID(0), r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5), r.getString(6),
                r.getLong(7), r.getLong(8)));
    }
}
