package dev.tally.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Two accounts' ledgers compared whatever the order of their entries: entries, buckets, terms. */
final class SameLedger {
    private static final String ENTRIES = "SELECT kind || ' ' || bucket || ' ' || amount || ' ' || reason FROM ledger_entry WHERE account_id = $1 ORDER BY 1";
    private static final String BUCKETS = "SELECT kind || ' ' || remaining || ' ' || coalesce(expires_at::text, '-') FROM credit_bucket "
            + "WHERE account_id = $1 ORDER BY 1";
    private static final String TERMS = "SELECT subscription_revision || ' ' || daily_credits || ' ' || coalesce(daily_day::text, '-') || ' ' "
            + "|| period_start || ' ' || period_end || ' ' || credits_per_period FROM credit_account WHERE account_id = $1";
    private static final String INEXACT = "SELECT count(*)::text FROM credit_bucket b WHERE account_id = $1 "
            + "AND remaining <> (SELECT sum(amount) FROM ledger_entry e WHERE e.bucket_id = b.id)";

    private SameLedger() {
    }

    /** The same entries (kind, bucket, amount, reason), buckets (kind, remaining, expiry) and account terms. */
    static void assertSameLedger(Pool pool, String expected, String actual) {
        assertEquals(rows(pool, ENTRIES, expected), rows(pool, ENTRIES, actual), "ledger entries");
        assertEquals(rows(pool, BUCKETS, expected), rows(pool, BUCKETS, actual), "buckets");
        assertEquals(rows(pool, TERMS, expected), rows(pool, TERMS, actual), "account terms");
        assertEquals(List.of("0"), rows(pool, INEXACT, actual), "every bucket holds the sum of its entries");
    }

    static List<String> rows(Pool pool, String sql, String acc) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(acc)).await().atMost(Duration.ofSeconds(20)).forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
