package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.AccountTerms;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.BucketIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The balance read's one statement: the account's terms, its live buckets and the credits its open
 * holds reserve, from one snapshot (a single statement sees one), without a transaction, a lock or a
 * write. An account seen for the first time has no row yet: it reads as the row a first write
 * creates (the column defaults of V1__ledger.sql), with no buckets and no holds.
 */
@ApplicationScoped
public class BalanceReads {

    /** What the balance is computed from; {@code terms} are a new account's when it has no row. */
    public record Snapshot(AccountTerms terms, List<BucketBalance> live, long held) {
    }

    private static final String SNAPSHOT = "SELECT h.held, a.account_id, a.overage_mode, a.overage_unit_price_minor, a.overage_unit_credits, "
            + "a.overage_currency, a.daily_credits, a.daily_day, a.subscription_revision, a.rollover_max_credits, a.rollover_max_percent, "
            + "a.rollover_expires_after_days, a.credits_per_period, b.id, b.kind, b.remaining, b.expires_at "
            + "FROM (SELECT COALESCE(SUM(credits), 0) AS held FROM credit_hold WHERE account_id = $1 AND status = 'OPEN' "
            + "AND expires_at > $2) h "
            + "LEFT JOIN credit_account a ON a.account_id = $1 "
            + "LEFT JOIN credit_bucket b ON b.account_id = a.account_id AND b.live";

    public Uni<Snapshot> read(SqlClient db, String accountId, Instant now) {
        return db.preparedQuery(SNAPSHOT).execute(Tuple.of(accountId, at(now))).map(rows -> {
            AccountTerms terms = null;
            long held = 0;
            List<BucketBalance> live = new ArrayList<>();
            for (Row r : rows) {
                held = r.getLong("held");
                if (terms == null && r.getString("account_id") != null) {
                    terms = LedgerRepository.terms(r);
                }
                if (r.getLong("id") != null) {
                    live.add(LedgerRepository.bucket(r));
                }
            }
            return new Snapshot(terms == null ? newAccount(accountId) : terms, live, held);
        });
    }

    /** The terms of the row a first write creates for an account (V1__ledger.sql's defaults). */
    static AccountTerms newAccount(String accountId) {
        return new AccountTerms(accountId, new Overage(Overage.Mode.BLOCK, 0, 1, null), 0, null, -1, null, 0);
    }

    /**
     * Ids for the buckets a read's ledger creates in memory (the day's reset, a rolled-over lot) and
     * never writes: unique, none a real bucket's; the balance names buckets by kind only.
     */
    public static BucketIds unwritten() {
        long[] next = {0};
        return () -> --next[0];
    }
}
