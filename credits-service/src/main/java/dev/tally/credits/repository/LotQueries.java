package dev.tally.credits.repository;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.LotSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** An account's lots as the API lists them: live (spendable now) or past (spent, expired, voided, clawed back), with their source. */
@ApplicationScoped
public class LotQueries {

    /** Which lots: {@code LIVE} hold credits and have not expired; {@code PAST} the others; {@code ALL} both. */
    public enum Filter { LIVE, PAST, ALL }

    /**
     * One lot.
     *
     * @param bucket     DAILY, SUBSCRIPTION, PROMO or TOPUP: where it comes in the spending order
     * @param source     PLAN_PERIOD, DAILY, TOPUP_PURCHASE, PROMO, ROLLOVER, REVERSAL or OTHER: what granted it
     * @param sourceId   what granted it, by id: the top-up purchase id, the promo grant id (its Idempotency-Key), the day, the
     *                   subscription event or credit period, the reversed debit
     * @param reason     the grant's reason
     * @param granted    the credits it was granted
     * @param status     ACTIVE (spendable), SPENT, EXPIRED (or forfeited), VOIDED (by an admin), REFUNDED or DISPUTED (clawed
     *                   back whole): a VOIDED, REFUNDED or DISPUTED lot is never spent again
     * @param takenBack  the credits a void or a claw back took from it (or kept from a reversal)
     * @param shortfall  the credits a refund or dispute claimed that had been spent already (owed; spending is not blocked)
     * @param closedAt   when it was voided or clawed back whole
     * @param takenBackReason the reason of the last void or claw back, and who made it ({@code takenBackBy}: the admin of a void,
     *                   the admin of a refund made through Tally; null for a refund or dispute started at the payment provider)
     */
    public record Lot(long id, String bucket, long remaining, Instant expiresAt, Instant createdAt, String source, String sourceId,
                      String reason, long granted, String status, long takenBack, long shortfall, Instant closedAt, String takenBackReason,
                      String takenBackBy) {
    }

    /** A page of lots: LIVE soonest expiry first; PAST and ALL newest first ({@code before}: the last id seen). */
    public Uni<List<Lot>> lots(SqlClient client, String accountId, Filter filter, Instant now, long before, int limit) {
        String live = "b.remaining > 0 AND (b.expires_at IS NULL OR b.expires_at > $2::timestamptz)";
        String where = switch (filter) {
            case LIVE -> live;
            case PAST -> "NOT (" + live + ")";
            case ALL -> "$2::timestamptz IS NOT NULL"; // every lot (the parameter is there for the plan)
        };
        String order = filter == Filter.LIVE ? "b.expires_at NULLS LAST, b.id" : "b.id DESC";
        return client.preparedQuery("SELECT b.id, b.kind, b.remaining, b.expires_at, b.created_at, g.amount, g.reference, g.reason, "
                        + "t.closed, t.cause, t.taken_back, t.shortfall, t.closed_at, t.reason, t.acted_by, "
                        + "EXISTS (SELECT 1 FROM ledger_entry x WHERE x.bucket_id = b.id AND x.kind IN ('EXPIRE', 'FORFEIT')) "
                        + "FROM credit_bucket b "
                        + "LEFT JOIN LATERAL (SELECT amount, reference, reason FROM ledger_entry e WHERE e.bucket_id = b.id AND e.kind = 'GRANT' "
                        + "ORDER BY e.id LIMIT 1) g ON true "
                        + "LEFT JOIN credit_lot_takeback t ON t.bucket_id = b.id "
                        + "WHERE b.account_id = $1 AND b.id < $3 AND " + where + " ORDER BY " + order + " LIMIT $4")
                .execute(Tuple.of(accountId, now.atOffset(java.time.ZoneOffset.UTC), before, limit))
                .map(rows -> {
                    List<Lot> out = new ArrayList<>();
                    rows.forEach(r -> out.add(lot(r, now)));
                    return out;
                });
    }

    /** What the account's lots owe in all: the shortfalls of refunds and disputes. */
    public Uni<Long> shortfall(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT COALESCE(SUM(shortfall), 0) FROM credit_lot_takeback WHERE account_id = $1")
                .execute(Tuple.of(accountId)).map(rows -> rows.iterator().next().getLong(0));
    }

    private static Lot lot(Row r, Instant now) {
        CreditBucketKind bucket = CreditBucketKind.valueOf(r.getString(1));
        long remaining = r.getLong(2);
        Instant expiresAt = instant(r, 3);
        LotSource source = LotSource.of(bucket, r.getString(6));
        Boolean closed = r.getBoolean(8);
        String status;
        if (Boolean.TRUE.equals(closed)) {
            status = "VOID".equals(r.getString(9)) ? "VOIDED" : "DISPUTE".equals(r.getString(9)) ? "DISPUTED" : "REFUNDED";
        } else if (remaining > 0 && (expiresAt == null || now.isBefore(expiresAt))) {
            status = "ACTIVE";
        } else {
            status = remaining > 0 || r.getBoolean(15) ? "EXPIRED" : "SPENT";
        }
        Long granted = r.getLong(5);
        return new Lot(r.getLong(0), bucket.name(), remaining, expiresAt, instant(r, 4), source.kind().name(), source.id(), r.getString(7),
                granted == null ? 0 : granted, status, orZero(r.getLong(10)), orZero(r.getLong(11)), instant(r, 12),
                closed == null ? null : r.getString(13), closed == null ? null : r.getString(14));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Instant instant(Row r, int column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
