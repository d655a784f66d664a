package dev.tally.credits.repository;

import dev.tally.credits.domain.AutoTopup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code auto_topup} rows. Every writer holds the account's {@code credit_account} lock first
 * (the one order of every path: account, then its auto top-up), so a reader under that lock sees
 * what stands until it commits.
 */
@ApplicationScoped
public class AutoTopupRepository {
    static final String COLUMNS = "account_id, threshold, pack_code, pack_credits, pack_price_minor, currency, monthly_cap_minor, "
            + "max_failures, enabled, disabled_reason, failures_in_row, in_flight, month, month_spent_minor, in_flight_since";

    /** What a debit of these accounts may ask for: the auto top-ups on and with nothing in flight (the debit group reads them with {@link DebitWatches}). */
    public Uni<Map<String, AutoTopup>> armed(SqlClient tx, List<String> accountIds) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM auto_topup WHERE account_id = ANY($1) AND enabled AND in_flight IS NULL")
                .execute(Tuple.of((Object) accountIds.toArray(String[]::new))).map(AutoTopupRepository::byAccount);
    }

    public Uni<Map<String, AutoTopup>> of(SqlClient tx, Collection<String> accountIds) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM auto_topup WHERE account_id = ANY($1)")
                .execute(Tuple.of((Object) accountIds.toArray(String[]::new))).map(AutoTopupRepository::byAccount);
    }

    public Uni<Optional<Stored>> find(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM auto_topup WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(stored(rows.iterator().next())));
    }

    /** The accounts whose top-up in flight was asked for at or before {@code cutoff}, oldest first, at most {@code limit}. */
    public Uni<List<String>> inFlightSince(SqlClient client, Instant cutoff, int limit) {
        return client.preparedQuery("SELECT account_id FROM auto_topup WHERE in_flight IS NOT NULL AND in_flight_since <= $1 "
                        + "ORDER BY in_flight_since LIMIT $2")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<String> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** These accounts' rows with when their top-up in flight was asked for. */
    public Uni<List<Stored>> stored(SqlClient client, Collection<String> accountIds) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM auto_topup WHERE account_id = ANY($1) ORDER BY account_id")
                .execute(Tuple.of((Object) accountIds.toArray(String[]::new)))
                .map(rows -> {
                    List<Stored> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(stored(r)));
                    return out;
                });
    }

    /** A row and when its top-up in flight was asked for. */
    public record Stored(AutoTopup autoTopup, Instant inFlightSince) {
    }

    /** Writes these auto top-ups whole, in account order; {@code in_flight_since} moves when the one in flight does. */
    public Uni<Void> save(SqlClient tx, Collection<AutoTopup> rows, Instant now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<AutoTopup> sorted = rows.stream().sorted(java.util.Comparator.comparing(AutoTopup::accountId)).toList();
        return tx.preparedQuery("INSERT INTO auto_topup (account_id, threshold, pack_code, pack_credits, pack_price_minor, currency, "
                        + "monthly_cap_minor, max_failures, enabled, disabled_reason, failures_in_row, in_flight, month, month_spent_minor, "
                        + "in_flight_since, updated_at) SELECT u.*, CASE WHEN u.in_flight IS NULL THEN NULL ELSE $15::timestamptz END, $15::timestamptz FROM unnest($1::text[], "
                        + "$2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::int[], $9::boolean[], $10::text[], "
                        + "$11::int[], $12::uuid[], $13::date[], $14::bigint[]) AS u(account_id, threshold, pack_code, pack_credits, pack_price_minor, "
                        + "currency, monthly_cap_minor, max_failures, enabled, disabled_reason, failures_in_row, in_flight, month, month_spent_minor) "
                        + "ORDER BY 1 ON CONFLICT (account_id) DO UPDATE SET "
                        + "threshold = EXCLUDED.threshold, pack_code = EXCLUDED.pack_code, pack_credits = EXCLUDED.pack_credits, "
                        + "pack_price_minor = EXCLUDED.pack_price_minor, currency = EXCLUDED.currency, monthly_cap_minor = EXCLUDED.monthly_cap_minor, "
                        + "max_failures = EXCLUDED.max_failures, enabled = EXCLUDED.enabled, disabled_reason = EXCLUDED.disabled_reason, "
                        + "failures_in_row = EXCLUDED.failures_in_row, in_flight = EXCLUDED.in_flight, month = EXCLUDED.month, "
                        + "month_spent_minor = EXCLUDED.month_spent_minor, updated_at = EXCLUDED.updated_at, in_flight_since = CASE "
                        + "WHEN EXCLUDED.in_flight IS NULL THEN NULL WHEN EXCLUDED.in_flight = auto_topup.in_flight THEN auto_topup.in_flight_since "
                        + "ELSE EXCLUDED.updated_at END")
                .execute(Tuple.tuple()
                        .addValue(sorted.stream().map(AutoTopup::accountId).toArray(String[]::new))
                        .addValue(sorted.stream().map(AutoTopup::threshold).toArray(Long[]::new))
                        .addValue(sorted.stream().map(AutoTopup::packCode).toArray(String[]::new))
                        .addValue(sorted.stream().map(AutoTopup::packCredits).toArray(Long[]::new))
                        .addValue(sorted.stream().map(AutoTopup::packPriceMinor).toArray(Long[]::new))
                        .addValue(sorted.stream().map(AutoTopup::currency).toArray(String[]::new))
                        .addValue(sorted.stream().map(AutoTopup::monthlyCapMinor).toArray(Long[]::new))
                        .addValue(sorted.stream().map(AutoTopup::maxFailures).toArray(Integer[]::new))
                        .addValue(sorted.stream().map(AutoTopup::enabled).toArray(Boolean[]::new))
                        .addValue(sorted.stream().map(AutoTopup::disabledReason).toArray(String[]::new))
                        .addValue(sorted.stream().map(AutoTopup::failuresInRow).toArray(Integer[]::new))
                        .addValue(sorted.stream().map(AutoTopup::inFlight).toArray(UUID[]::new))
                        .addValue(sorted.stream().map(t -> t.month() == null ? null : t.month().atDay(1)).toArray(LocalDate[]::new))
                        .addValue(sorted.stream().map(AutoTopup::monthSpentMinor).toArray(Long[]::new))
                        .addValue(now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private static Map<String, AutoTopup> byAccount(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        Map<String, AutoTopup> out = new HashMap<>();
        rows.forEach(r -> out.put(r.getString("account_id"), autoTopup(r)));
        return out;
    }

    private static Stored stored(Row r) {
        OffsetDateTime since = r.getOffsetDateTime("in_flight_since");
        return new Stored(autoTopup(r), since == null ? null : since.toInstant());
    }

    static AutoTopup autoTopup(Row r) {
        LocalDate month = r.getLocalDate("month");
        return new AutoTopup(r.getString("account_id"), r.getLong("threshold"), r.getString("pack_code"), r.getLong("pack_credits"),
                r.getLong("pack_price_minor"), r.getString("currency"), r.getLong("monthly_cap_minor"), r.getInteger("max_failures"),
                r.getBoolean("enabled"), r.getString("disabled_reason"), r.getInteger("failures_in_row"), r.getUUID("in_flight"),
                month == null ? null : YearMonth.from(month), r.getLong("month_spent_minor"));
    }
}
