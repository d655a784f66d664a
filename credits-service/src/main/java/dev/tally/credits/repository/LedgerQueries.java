package dev.tally.credits.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads of the ledger: an account's history (the check is {@link LedgerAudit}). */
@ApplicationScoped
public class LedgerQueries {
    private final Pool pool;

    public LedgerQueries(Pool pool) {
        this.pool = pool;
    }

    /** {@code at}: when the entry was written; {@code effectiveAt}: when it took effect (an expiry: its bucket's expiry). */
    public record Entry(long id, String bucket, String kind, long amount, String reason, String reference, Instant at, Instant effectiveAt) {
    }

    /** Newest first; {@code before} is the id to page from (exclusive). */
    public Uni<List<Entry>> history(String accountId, long before, int limit) {
        return pool.preparedQuery("SELECT id, bucket, kind, amount, reason, reference, created_at, "
                        + "COALESCE(effective_at, created_at) FROM ledger_entry "
                        + "WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3")
                .execute(Tuple.of(accountId, before, limit))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Entry(r.getLong(0), r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
                            r.getString(5), r.getOffsetDateTime(6).toInstant(), r.getOffsetDateTime(7).toInstant())));
                    return out;
                });
    }
}
