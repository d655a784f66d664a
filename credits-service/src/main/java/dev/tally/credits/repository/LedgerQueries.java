package dev.tally.credits.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads of the ledger: history, and the check that every balance is the sum of its entries. */
@ApplicationScoped
public class LedgerQueries {
    private final Pool pool;

    public LedgerQueries(Pool pool) {
        this.pool = pool;
    }

    public record Entry(long id, String bucket, String kind, long amount, String reason, String reference, Instant at) {
    }

    /** Newest first; {@code before} is the id to page from (exclusive). */
    public Uni<List<Entry>> history(String accountId, long before, int limit) {
        return pool.preparedQuery("SELECT id, bucket, kind, amount, reason, reference, created_at FROM ledger_entry "
                        + "WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3")
                .execute(Tuple.of(accountId, before, limit))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Entry(r.getLong(0), r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
                            r.getString(5), r.getOffsetDateTime(6).toInstant())));
                    return out;
                });
    }

    public record Mismatch(long bucketId, String accountId, long remaining, long sumOfEntries) {
    }

    /** Buckets whose remaining is not the sum of their entries, or is negative: empty when the ledger holds. */
    public Uni<List<Mismatch>> mismatches() {
        return pool.query("SELECT b.id, b.account_id, b.remaining, COALESCE(SUM(e.amount), 0) AS total FROM credit_bucket b "
                        + "LEFT JOIN ledger_entry e ON e.bucket_id = b.id GROUP BY b.id "
                        + "HAVING b.remaining <> COALESCE(SUM(e.amount), 0) OR b.remaining < 0")
                .execute()
                .map(rows -> {
                    List<Mismatch> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Mismatch(r.getLong(0), r.getString(1), r.getLong(2), r.getLong(3))));
                    return out;
                });
    }
}
