package dev.tally.credits.repository;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.Rollover;
import dev.tally.credits.domain.CreditRollover;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.AccountTerms;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.BucketIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads accounts' ledgers: locks the account rows (in account order), reads the live buckets, reserves
 * ids for new buckets. Writes go through {@link LedgerWriter}.
 */
@ApplicationScoped
public class LedgerRepository {

    /** The account's row, created on first use and locked for the rest of the transaction. */
    public Uni<AccountTerms> lockAccount(SqlConnection tx, String accountId, Instant now) {
        return tx.preparedQuery("INSERT INTO credit_account (account_id, updated_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(accountId, at(now)))
                .flatMap(x -> tx.preparedQuery("SELECT * FROM credit_account WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(accountId)))
                .map(rows -> terms(rows.iterator().next()));
    }

    /**
     * Several accounts' rows, locked in account order (so two groups never deadlock on them). Those
     * seen for the first time are created first, in account order too, then all are locked in one
     * statement: creating one after locking others could wait, out of order, on a transaction that
     * created it meanwhile and waits for one of ours.
     */
    public Uni<Map<String, AccountTerms>> lockAccounts(SqlConnection tx, List<String> accountIds, Instant now) {
        String[] ids = accountIds.stream().sorted().distinct().toArray(String[]::new);
        Uni<?> created = tx.preparedQuery("INSERT INTO credit_account (account_id, updated_at) SELECT u.id, $2 FROM unnest($1::text[]) AS u(id) "
                + "ORDER BY u.id ON CONFLICT DO NOTHING").execute(Tuple.of(ids, at(now)));
        return Uni.combine().all().unis(created, lockExisting(tx, ids)).asTuple().map(t -> t.getItem2()); // pipelined, in order
    }

    /** The rows of those accounts that exist, locked in account order. */
    public Uni<Map<String, AccountTerms>> lockExisting(SqlConnection tx, List<String> accountIds) {
        return lockExisting(tx, accountIds.stream().sorted().distinct().toArray(String[]::new));
    }

    private Uni<Map<String, AccountTerms>> lockExisting(SqlConnection tx, String[] ids) {
        return tx.preparedQuery("SELECT * FROM credit_account WHERE account_id = ANY($1) ORDER BY account_id FOR UPDATE")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    Map<String, AccountTerms> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("account_id"), terms(r)));
                    return out;
                });
    }

    /** Those of these accounts nobody else holds, locked in account order ({@code SKIP LOCKED}: the others are left out). */
    public Uni<Map<String, AccountTerms>> lockUnlocked(SqlConnection tx, java.util.Collection<String> accountIds) {
        return tx.preparedQuery("SELECT * FROM credit_account WHERE account_id = ANY($1) ORDER BY account_id FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of((Object) accountIds.stream().sorted().toArray(String[]::new)))
                .map(rows -> {
                    Map<String, AccountTerms> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("account_id"), terms(r)));
                    return out;
                });
    }

    /** Several accounts' live buckets, by account. */
    public Uni<Map<String, List<BucketBalance>>> liveBuckets(SqlClient client, List<String> accountIds) {
        return client.preparedQuery("SELECT account_id, id, kind, remaining, expires_at FROM credit_bucket WHERE account_id = ANY($1) AND live")
                .execute(Tuple.of(accountIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<BucketBalance>> out = new HashMap<>();
                    accountIds.forEach(id -> out.put(id, new ArrayList<>()));
                    rows.forEach(r -> out.get(r.getString("account_id")).add(bucket(r)));
                    return out;
                });
    }

    public Uni<List<BucketBalance>> liveBuckets(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT id, kind, remaining, expires_at FROM credit_bucket WHERE account_id = $1 AND live")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<BucketBalance> out = new ArrayList<>();
                    rows.forEach(r -> out.add(bucket(r)));
                    return out;
                });
    }

    /**
     * The ledgers of these accounts, loaded for a change: the accounts locked (created if new), their
     * live buckets read, and ids reserved for up to {@code grants} new buckets and each day's reset
     * that is due; by account, in the order given.
     */
    public Uni<Map<String, AccountLedger>> load(SqlConnection tx, List<String> accountIds, int grants, Instant now) {
        return lockAccounts(tx, accountIds, now).flatMap(terms -> liveBuckets(tx, accountIds)
                .flatMap(buckets -> reserve(tx, grants + newBucketsDue(terms, buckets, now))
                        .map(ids -> ledgers(accountIds, terms, buckets, ids, now))));
    }

    /**
     * How many buckets touching these accounts creates before any grant of its own: each daily reset
     * due, and each lot of subscription credits due to roll over (credits-domain's CreditRollover).
     */
    public static int newBucketsDue(Map<String, AccountTerms> terms, Map<String, List<BucketBalance>> buckets, Instant now) {
        return dailyResets(terms.values(), now) + terms.values().stream()
                .mapToInt(t -> CreditRollover.lotsDue(t, buckets.getOrDefault(t.accountId(), List.of()), now)).sum();
    }

    /** How many of these accounts are due their daily reset (each creates a bucket). */
    public static int dailyResets(java.util.Collection<AccountTerms> terms, Instant now) {
        return (int) terms.stream().filter(t -> AccountLedger.isNewDay(t, now)).count();
    }

    /** One account's ledger, loaded for a change (see {@link #load}). */
    public Uni<AccountLedger> load(SqlConnection tx, String accountId, int grants, Instant now) {
        return lockAccount(tx, accountId, now).flatMap(terms -> ledgerOf(tx, terms, grants, now));
    }

    /** The ledger of an account the caller has locked already. */
    public Uni<AccountLedger> ledgerOf(SqlConnection tx, AccountTerms terms, int grants, Instant now) {
        return liveBuckets(tx, terms.accountId()).flatMap(buckets -> reserve(tx, grants + dailyResets(List.of(terms), now)
                        + CreditRollover.lotsDue(terms, buckets, now))
                .map(ids -> new AccountLedger(terms, buckets, ids, now)));
    }

    /** Ledgers of accounts whose rows and buckets the caller has read under their locks already. */
    public static Map<String, AccountLedger> ledgers(List<String> accountIds, Map<String, AccountTerms> terms,
                                                      Map<String, List<BucketBalance>> buckets, BucketIds ids, Instant now) {
        Map<String, AccountLedger> out = new LinkedHashMap<>();
        accountIds.forEach(a -> out.computeIfAbsent(a, x -> new AccountLedger(terms.get(a), buckets.get(a), ids, now)));
        return out;
    }

    /** Ids for up to {@code grants} new buckets, from the bucket sequence (none for zero). */
    public Uni<BucketIds> reserve(SqlConnection tx, int grants) {
        if (grants <= 0) {
            return Uni.createFrom().item(BucketIds.NONE);
        }
        return tx.preparedQuery("SELECT nextval(pg_get_serial_sequence('credit_bucket', 'id')) FROM generate_series(1, $1)")
                .execute(Tuple.of(grants)).map(rows -> {
                    Deque<Long> ids = new ArrayDeque<>();
                    rows.forEach(r -> ids.add(r.getLong(0)));
                    return () -> {
                        Long id = ids.poll();
                        if (id == null) {
                            throw new IllegalStateException("more new buckets in this change than ids reserved");
                        }
                        return id;
                    };
                });
    }

    static BucketBalance bucket(Row r) {
        return new BucketBalance(r.getLong("id"), CreditBucketKind.valueOf(r.getString("kind")), r.getLong("remaining"),
                instant(r.getOffsetDateTime("expires_at")));
    }

    static AccountTerms terms(Row r) {
        String currency = r.getString("overage_currency");
        Overage overage = new Overage(Overage.Mode.valueOf(r.getString("overage_mode")), r.getLong("overage_unit_price_minor"),
                r.getLong("overage_unit_credits"), currency == null || currency.isEmpty() ? null : currency);
        Long maxCredits = r.getLong("rollover_max_credits");
        Integer maxPercent = r.getInteger("rollover_max_percent");
        Rollover rollover = maxCredits == null && maxPercent == null ? null
                : new Rollover(maxCredits, maxPercent, r.getInteger("rollover_expires_after_days"));
        return new AccountTerms(r.getString("account_id"), overage, r.getLong("daily_credits"), r.getLocalDate("daily_day"),
                r.getLong("subscription_revision"), rollover, r.getLong("credits_per_period"));
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
