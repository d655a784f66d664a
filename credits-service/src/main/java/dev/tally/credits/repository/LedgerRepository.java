package dev.tally.credits.repository;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.Spend;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Accounts, buckets and ledger entries. Every write adds entries; a bucket's remaining moves with them. */
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

    /** A debit's take from one bucket, as written by a group of debits. */
    public record Taken(String accountId, Spend.Take take, String reason, String reference) {
    }

    /** The takes of a group of debits: each bucket updated once by its total, one DEBIT entry per take, in order. */
    public Uni<Void> debitAll(SqlConnection tx, List<Taken> taken, Instant now) {
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<Long, Long> byBucket = new LinkedHashMap<>(); // in (account, bucket) order, the one lock order (README); under the account locks
        taken.stream().sorted(java.util.Comparator.comparing(Taken::accountId).thenComparing(t -> t.take().bucketId()))
                .forEach(t -> byBucket.merge(t.take().bucketId(), t.take().amount(), Long::sum));
        Uni<?> buckets = tx.preparedQuery("UPDATE credit_bucket b SET remaining = b.remaining - d.amount "
                        + "FROM unnest($1::bigint[], $2::bigint[]) AS d(id, amount) WHERE b.id = d.id AND b.id = ANY($1)") // ANY: by the key, never a scan of every bucket
                .execute(Tuple.of(byBucket.keySet().toArray(Long[]::new), byBucket.values().toArray(Long[]::new)));
        Uni<?> entries = tx.preparedQuery("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at) "
                        + "SELECT e.account_id, e.bucket_id, e.bucket, 'DEBIT', -e.amount, e.reason, e.reference, $7 "
                        + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[]) "
                        + "AS e(account_id, bucket_id, bucket, amount, reason, reference)")
                .execute(Tuple.tuple()
                        .addValue(taken.stream().map(Taken::accountId).toArray(String[]::new))
                        .addValue(taken.stream().map(t -> t.take().bucketId()).toArray(Long[]::new))
                        .addValue(taken.stream().map(t -> t.take().kind().name()).toArray(String[]::new))
                        .addValue(taken.stream().map(t -> t.take().amount()).toArray(Long[]::new))
                        .addValue(taken.stream().map(Taken::reason).toArray(String[]::new))
                        .addValue(taken.stream().map(Taken::reference).toArray(String[]::new))
                        .addValue(at(now)));
        return Uni.combine().all().unis(buckets, entries).discardItems(); // pipelined, in order
    }

    /** Overage of a group of debits on BILL plans: {accountId, credits, reference} each. */
    public Uni<Void> recordOverages(SqlConnection tx, List<String> accountIds, List<Long> credits, List<String> references, Instant now) {
        if (accountIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO overage_usage (account_id, credits, reference, created_at) "
                        + "SELECT o.account_id, o.credits, o.reference, $4 FROM unnest($1::text[], $2::bigint[], $3::text[]) AS o(account_id, credits, reference)")
                .execute(Tuple.of(accountIds.toArray(String[]::new), credits.toArray(Long[]::new), references.toArray(String[]::new), at(now)))
                .replaceWithVoid();
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

    public Uni<Void> grant(SqlConnection tx, String accountId, CreditBucketKind kind, long credits, Instant expiresAt,
                           String reason, String reference, Instant now) {
        if (credits <= 0) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO credit_bucket (account_id, kind, remaining, expires_at, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .execute(Tuple.of(accountId, kind.name(), credits, at(expiresAt), at(now)))
                .flatMap(rows -> entries(tx, accountId, List.of(new Spend.Take(rows.iterator().next().getLong(0), kind, credits)),
                        "GRANT", 1, reason, reference, now));
    }

    /** Takes credits out of buckets as entries of {@code entryKind} (DEBIT, FORFEIT, EXPIRE). */
    public Uni<Void> take(SqlConnection tx, String accountId, List<Spend.Take> takes, String entryKind, String reason,
                          String reference, Instant now) {
        if (takes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("UPDATE credit_bucket SET remaining = remaining - $2 WHERE id = $1")
                .executeBatch(takes.stream().map(t -> Tuple.of(t.bucketId(), t.amount())).toList())
                .flatMap(x -> entries(tx, accountId, takes, entryKind, -1, reason, reference, now));
    }

    private Uni<Void> entries(SqlConnection tx, String accountId, List<Spend.Take> takes, String entryKind, int sign,
                              String reason, String reference, Instant now) {
        return tx.preparedQuery("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .executeBatch(takes.stream().map(t -> Tuple.from(List.of(accountId, t.bucketId(), t.kind().name(), entryKind,
                        sign * t.amount(), reason, reference == null ? "" : reference, at(now)))).toList())
                .replaceWithVoid();
    }

    public Uni<Void> saveTerms(SqlConnection tx, String accountId, Overage overage, long dailyCredits, long revision, Instant now) {
        return tx.preparedQuery("UPDATE credit_account SET overage_mode = $2, overage_unit_price_minor = $3, overage_unit_credits = $4, "
                        + "overage_currency = $5, daily_credits = $6, subscription_revision = $7, updated_at = $8 WHERE account_id = $1")
                .execute(Tuple.from(List.of(accountId, overage.mode().name(), overage.unitPriceMinor(), overage.unitCredits(),
                        overage.currency() == null ? "" : overage.currency(), dailyCredits, revision, at(now))))
                .replaceWithVoid();
    }

    public Uni<Void> setDailyDay(SqlConnection tx, String accountId, LocalDate day) {
        return tx.preparedQuery("UPDATE credit_account SET daily_day = $2 WHERE account_id = $1").execute(Tuple.of(accountId, day)).replaceWithVoid();
    }

    public Uni<Void> recordOverage(SqlConnection tx, String accountId, long credits, String reference, Instant now) {
        return tx.preparedQuery("INSERT INTO overage_usage (account_id, credits, reference, created_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(accountId, credits, reference, at(now))).replaceWithVoid();
    }

    private static BucketBalance bucket(Row r) {
        return new BucketBalance(r.getLong("id"), CreditBucketKind.valueOf(r.getString("kind")), r.getLong("remaining"),
                instant(r.getOffsetDateTime("expires_at")));
    }

    private static AccountTerms terms(Row r) {
        String currency = r.getString("overage_currency");
        Overage overage = new Overage(Overage.Mode.valueOf(r.getString("overage_mode")), r.getLong("overage_unit_price_minor"),
                r.getLong("overage_unit_credits"), currency == null || currency.isEmpty() ? null : currency);
        return new AccountTerms(r.getString("account_id"), overage, r.getLong("daily_credits"), r.getLocalDate("daily_day"),
                r.getLong("subscription_revision"));
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
