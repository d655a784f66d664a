package dev.tally.credits.repository;

import dev.tally.backbone.clock.TallyClock;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger check, in one set-based statement over every bucket and entry: each bucket's remaining
 * credits equal the sum of its entries; each account's spendable balance, as the balance API counts
 * it (buckets with credits left and not past their expiry), equals the sum of the entries of those
 * buckets; no bucket keeps credits past its expiry for longer than the grace (a due bucket waits at
 * most a sweep interval for its entry; the grace counts from its expiry, or from when it was written
 * if it came in expired already, and in real time: a bucket the dev clock jumped past became due at
 * the jump, so it is overdue only once the clock has shown its expiry as past for the grace,
 * {@link TallyClock#passedFor}). Buckets due within the grace are counted, not named.
 */
@ApplicationScoped
public class LedgerAudit {
    /** How many disagreements a check names at most (the count is always complete). */
    public static final int NAMED_AT_MOST = 1000;
    private static final String CHECK = """
            WITH entries AS (SELECT bucket_id, SUM(amount)::bigint AS total FROM ledger_entry GROUP BY bucket_id),
            bucket AS MATERIALIZED (
              SELECT b.id, b.account_id, b.remaining, COALESCE(e.total, 0) AS entries,
                     (b.expires_at IS NULL OR b.expires_at > $1) AS unexpired,
                     (b.remaining > 0 AND b.expires_at <= $1 AND NOT COALESCE(GREATEST(b.expires_at, b.created_at) <= $2, false)) AS pending,
                     (b.remaining > 0 AND b.expires_at <= $1 AND COALESCE(GREATEST(b.expires_at, b.created_at) <= $2, false)) AS overdue
              FROM credit_bucket b LEFT JOIN entries e ON e.bucket_id = b.id),
            balance AS (
              SELECT account_id, COALESCE(SUM(entries) FILTER (WHERE unexpired), 0)::bigint AS expected,
                     COALESCE(SUM(remaining) FILTER (WHERE unexpired AND remaining > 0), 0)::bigint AS actual
              FROM bucket GROUP BY account_id),
            found AS (
              SELECT account_id, id AS bucket_id, 'bucket_differs_from_entries' AS kind, entries AS expected, remaining AS actual
                FROM bucket WHERE remaining <> entries OR remaining < 0
              UNION ALL
              SELECT account_id, id, 'expired_without_entry', 0, remaining FROM bucket WHERE overdue
              UNION ALL
              SELECT account_id, NULL, 'balance_differs_from_entries', expected, actual FROM balance WHERE expected <> actual)
            SELECT p.pending, f.account_id, f.bucket_id, f.kind, f.expected, f.actual, f.total
            FROM (SELECT count(*) FILTER (WHERE pending) AS pending FROM bucket) p
            LEFT JOIN (SELECT found.*, count(*) OVER () AS total FROM found ORDER BY account_id, kind, bucket_id LIMIT $3) f ON true
            """;
    private final Pool pool;
    private final TallyClock clock;

    public LedgerAudit(Pool pool, TallyClock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * One disagreement: {@code kind} is bucket_differs_from_entries (expected: the bucket's entries,
     * actual: its remaining credits), balance_differs_from_entries (bucketId null; expected: the
     * entries of the account's live buckets, actual: the spendable balance) or expired_without_entry
     * (expected 0, actual: the credits still in the bucket past its expiry and the grace).
     */
    public record Disagreement(String kind, String accountId, Long bucketId, long expected, long actual, String detail) {
    }

    public record Result(Instant at, Duration grace, long expiriesPending, long disagreementCount, List<Disagreement> disagreements) {
    }

    /** The check as of {@code now} (the service clock's); a due bucket is named once it has been due for {@code grace} in real time too. */
    public Uni<Result> check(Instant now, Duration grace) {
        return pool.preparedQuery(CHECK)
                .execute(Tuple.of(LedgerRepository.at(now), LedgerRepository.at(overdueUpTo(now, grace)), NAMED_AT_MOST))
                .map(rows -> {
                    long pending = 0;
                    long total = 0;
                    List<Disagreement> found = new ArrayList<>();
                    for (Row r : rows) {
                        pending = r.getLong("pending");
                        if (r.getString("kind") != null) {
                            total = r.getLong("total");
                            found.add(disagreement(r));
                        }
                    }
                    return new Result(now, grace, pending, total, found);
                });
    }

    /** The latest expiry that is overdue: {@code grace} before now, and past on the clock for {@code grace} (null: none, the clock moved too often lately). */
    private Instant overdueUpTo(Instant now, Duration grace) {
        Instant passed = clock.passedFor(grace);
        Instant byNow = now.minus(grace);
        return passed == null ? null : passed.isBefore(byNow) ? passed : byNow;
    }

    private static Disagreement disagreement(Row r) {
        String kind = r.getString("kind");
        Long bucket = r.getLong("bucket_id");
        long expected = r.getLong("expected");
        long actual = r.getLong("actual");
        String detail = switch (kind) {
            case "bucket_differs_from_entries" -> "bucket " + bucket + " holds " + actual + " credits; its entries sum to " + expected;
            case "expired_without_entry" -> "bucket " + bucket + " still holds " + actual + " credits past its expiry, with no entry for them";
            default -> "the spendable balance is " + actual + "; the entries of the live buckets sum to " + expected;
        };
        return new Disagreement(kind, r.getString("account_id"), bucket, expected, actual, detail);
    }
}
