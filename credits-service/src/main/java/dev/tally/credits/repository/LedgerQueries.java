package dev.tally.credits.repository;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.DebitReversal;
import dev.tally.credits.domain.EntryKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/** Reads of the ledger entries: an account's history, what a reference was used by (the check is {@link LedgerAudit}). */
@ApplicationScoped
public class LedgerQueries {
    private final Pool pool;

    public LedgerQueries(Pool pool) {
        this.pool = pool;
    }

    /** {@code at}: when the entry was written; {@code effectiveAt}: when it took effect (an expiry: its bucket's expiry). */
    public record Entry(long id, String bucket, EntryKind kind, long amount, String reason, String reference, Instant at, Instant effectiveAt) {
    }

    /** Whether a grant with this reference was made (a credit period's grant is made once). */
    public Uni<Boolean> granted(SqlClient client, String reference) {
        return client.preparedQuery("SELECT 1 FROM ledger_entry WHERE reference = $1 AND kind = 'GRANT'").execute(Tuple.of(reference))
                .map(rows -> rows.size() > 0);
    }

    /** Which of these top-up references were granted before. */
    public Uni<Set<String>> grantedTopups(SqlClient client, List<String> references) {
        if (references.isEmpty()) {
            return Uni.createFrom().item(new HashSet<>());
        }
        return client.preparedQuery("SELECT reference FROM ledger_entry WHERE reference = ANY($1) AND kind = 'GRANT' AND bucket = 'TOPUP'")
                .execute(Tuple.of(references.toArray(String[]::new))).map(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(r -> found.add(r.getString(0)));
                    return found;
                });
    }

    /** The account's entries carrying any of these references, with their buckets' expiry (a debit and its reversal). */
    public Uni<List<DebitReversal.PastEntry>> byReference(SqlClient client, String accountId, String... references) {
        return client.preparedQuery("SELECT e.bucket_id, e.bucket, e.kind, e.amount, e.reference, b.expires_at FROM ledger_entry e "
                        + "JOIN credit_bucket b ON b.id = e.bucket_id WHERE e.account_id = $1 AND e.reference = ANY($2) ORDER BY e.id")
                .execute(Tuple.of(accountId, references))
                .map(rows -> {
                    List<DebitReversal.PastEntry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new DebitReversal.PastEntry(r.getLong(0), CreditBucketKind.valueOf(r.getString(1)),
                            EntryKind.valueOf(r.getString(2)), r.getLong(3), r.getString(4), LedgerRepository.instant(r.getOffsetDateTime(5)))));
                    return out;
                });
    }

    /** Newest first; {@code before} is the id to page from (exclusive). */
    public Uni<List<Entry>> history(String accountId, long before, int limit) {
        return pool.preparedQuery("SELECT id, bucket, kind, amount, reason, reference, created_at, "
                        + "COALESCE(effective_at, created_at) FROM ledger_entry "
                        + "WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3")
                .execute(Tuple.of(accountId, before, limit))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Entry(r.getLong(0), r.getString(1), EntryKind.valueOf(r.getString(2)), r.getLong(3), r.getString(4),
                            r.getString(5), r.getOffsetDateTime(6).toInstant(), r.getOffsetDateTime(7).toInstant())));
                    return out;
                });
    }
}
