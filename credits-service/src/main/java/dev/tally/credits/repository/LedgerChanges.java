package dev.tally.credits.repository;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.Spend;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger changes of a batch of events, made in memory on the locked accounts and their live
 * buckets, then written in a few statements: accounts, new buckets, bucket balances, entries and
 * events. Every change reads what the earlier ones in the batch left, as the database would.
 */
public final class LedgerChanges {
    private final Instant now;
    private final Map<String, AccountTerms> terms;
    private final Map<String, List<BucketBalance>> live;
    private final Deque<Long> bucketIds;
    private final Map<Long, Long> taken = new java.util.TreeMap<>(); // by bucket id: written in (account, bucket) order
    private final Map<Long, String> takenFrom = new HashMap<>();
    private final Map<Long, NewBucket> created = new LinkedHashMap<>();
    private final Map<Long, Long> createdAmount = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, SubscriptionState> periods = new LinkedHashMap<>();
    private final java.util.Set<String> touched = new java.util.LinkedHashSet<>();
    private final List<OutgoingEvent<?>> events = new ArrayList<>();

    private record NewBucket(String accountId, String kind, Instant expiresAt) {
    }

    /** {@code effectiveAt}: when the entry took effect, if not when it is written (an expiry, at its bucket's expiry). */
    private record Entry(String accountId, long bucketId, String bucket, String kind, long amount, String reason, String reference,
                         Instant effectiveAt) {
    }

    private LedgerChanges(Instant now, Map<String, AccountTerms> terms, Map<String, List<BucketBalance>> live, Deque<Long> bucketIds) {
        this.now = now;
        this.terms = terms;
        this.live = live;
        this.bucketIds = bucketIds;
    }

    /** Locks the accounts (creating new ones), reads their live buckets and reserves ids for up to {@code grants} new buckets. */
    public static Uni<LedgerChanges> load(SqlConnection tx, LedgerRepository ledger, List<String> accountIds, int grants, Instant now) {
        return ledger.lockAccounts(tx, accountIds, now).flatMap(locked -> ledger.liveBuckets(tx, accountIds)
                .flatMap(buckets -> {
                    Map<String, List<BucketBalance>> live = new HashMap<>();
                    buckets.forEach((account, list) -> live.put(account, new ArrayList<>(list)));
                    LedgerChanges changes = new LedgerChanges(now, new HashMap<>(locked), live, new ArrayDeque<>());
                    return changes.reserve(tx, grants).replaceWith(changes);
                }));
    }

    /** Reserves ids for up to {@code grants} more new buckets. */
    public Uni<Void> reserve(SqlConnection tx, int grants) {
        if (grants <= 0) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("SELECT nextval(pg_get_serial_sequence('credit_bucket', 'id')) FROM generate_series(1, $1)")
                .execute(Tuple.of(grants)).invoke(rows -> rows.forEach(r -> bucketIds.add(r.getLong(0)))).replaceWithVoid();
    }

    /** Changes on buckets the caller has read under its account locks already (no new buckets: an expiry, a group's debits). */
    public static LedgerChanges of(Instant now, Map<String, List<BucketBalance>> buckets) {
        Map<String, List<BucketBalance>> live = new HashMap<>();
        buckets.forEach((account, list) -> live.put(account, new ArrayList<>(list)));
        return new LedgerChanges(now, new HashMap<>(), live, new ArrayDeque<>());
    }

    public Instant now() {
        return now;
    }

    public AccountTerms terms(String accountId) {
        return terms.get(accountId);
    }

    public List<BucketBalance> liveBuckets(String accountId) {
        return List.copyOf(live.get(accountId));
    }

    /** Takes credits out of buckets as entries of {@code entryKind} (FORFEIT, EXPIRE). */
    public void take(String accountId, List<Spend.Take> takes, String entryKind, String reason, String reference) {
        take(accountId, takes, entryKind, reason, reference, null);
    }

    /** Takes everything left in a bucket as an entry that took effect at the bucket's expiry (EXPIRE, FORFEIT). */
    public void expire(String accountId, BucketBalance bucket, String entryKind, String reason, String reference) {
        take(accountId, List.of(new Spend.Take(bucket.bucketId(), bucket.kind(), bucket.remaining())), entryKind, reason, reference,
                bucket.expiresAt());
    }

    private void take(String accountId, List<Spend.Take> takes, String entryKind, String reason, String reference, Instant effectiveAt) {
        List<BucketBalance> buckets = live.get(accountId);
        for (Spend.Take t : takes) {
            for (int i = 0; i < buckets.size(); i++) {
                BucketBalance b = buckets.get(i);
                if (b.bucketId() == t.bucketId()) {
                    long left = b.remaining() - t.amount();
                    if (left < 0) {
                        throw new IllegalStateException("bucket " + b.bucketId() + " has " + b.remaining() + ", not " + t.amount());
                    }
                    if (left == 0) {
                        buckets.remove(i);
                    } else {
                        buckets.set(i, new BucketBalance(b.bucketId(), b.kind(), left, b.expiresAt()));
                    }
                }
            }
            if (createdAmount.containsKey(t.bucketId())) {
                createdAmount.merge(t.bucketId(), -t.amount(), Long::sum);
            } else {
                taken.merge(t.bucketId(), t.amount(), Long::sum);
                takenFrom.put(t.bucketId(), accountId);
            }
            entries.add(new Entry(accountId, t.bucketId(), t.kind().name(), entryKind, -t.amount(), reason, reference == null ? "" : reference,
                    effectiveAt));
        }
    }

    /** Grants credits in a new bucket (nothing for zero credits). */
    public void grant(String accountId, CreditBucketKind kind, long credits, Instant expiresAt, String reason, String reference) {
        if (credits <= 0) {
            return;
        }
        Long id = bucketIds.poll();
        if (id == null) {
            throw new IllegalStateException("more grants in this batch than bucket ids reserved");
        }
        created.put(id, new NewBucket(accountId, kind.name(), expiresAt));
        createdAmount.put(id, credits);
        live.get(accountId).add(new BucketBalance(id, kind, credits, expiresAt));
        entries.add(new Entry(accountId, id, kind.name(), "GRANT", credits, reason, reference == null ? "" : reference, null));
    }

    public void saveTerms(String accountId, Overage overage, long dailyCredits, long revision) {
        AccountTerms t = terms.get(accountId);
        terms.put(accountId, new AccountTerms(accountId, overage, dailyCredits, t.dailyDay(), revision));
        touched.add(accountId);
    }

    public void setDailyDay(String accountId, LocalDate day) {
        AccountTerms t = terms.get(accountId);
        terms.put(accountId, new AccountTerms(accountId, t.overage(), t.dailyCredits(), day, t.subscriptionRevision()));
        touched.add(accountId);
    }

    /** The subscription's period and grant, as the account row keeps them. */
    public void savePeriod(SubscriptionState s) {
        periods.put(s.accountId(), s);
    }

    public void announce(OutgoingEvent<?> event) {
        events.add(event);
    }

    /** Writes every change: accounts, new buckets, taken balances, entries in order, then the events. */
    public Uni<Void> write(SqlConnection tx, Outbox outbox) {
        OffsetDateTime at = LedgerRepository.at(now);
        List<Uni<?>> statements = new ArrayList<>();
        if (!touched.isEmpty()) {
            List<AccountTerms> rows = touched.stream().map(terms::get).toList();
            statements.add(tx.preparedQuery("UPDATE credit_account a SET overage_mode = u.mode, overage_unit_price_minor = u.price, "
                            + "overage_unit_credits = u.unit, overage_currency = u.currency, daily_credits = u.daily, daily_day = u.day, "
                            + "subscription_revision = u.revision, updated_at = $9 "
                            + "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::date[], $8::bigint[]) "
                            + "AS u(account_id, mode, price, unit, currency, daily, day, revision) WHERE a.account_id = u.account_id AND a.account_id = ANY($1)")
                    .execute(Tuple.tuple()
                            .addValue(rows.stream().map(AccountTerms::accountId).toArray(String[]::new))
                            .addValue(rows.stream().map(r -> r.overage().mode().name()).toArray(String[]::new))
                            .addValue(rows.stream().map(r -> r.overage().unitPriceMinor()).toArray(Long[]::new))
                            .addValue(rows.stream().map(r -> r.overage().unitCredits()).toArray(Long[]::new))
                            .addValue(rows.stream().map(r -> r.overage().currency() == null ? "" : r.overage().currency()).toArray(String[]::new))
                            .addValue(rows.stream().map(AccountTerms::dailyCredits).toArray(Long[]::new))
                            .addValue(rows.stream().map(AccountTerms::dailyDay).toArray(LocalDate[]::new))
                            .addValue(rows.stream().map(AccountTerms::subscriptionRevision).toArray(Long[]::new))
                            .addValue(at)));
        }
        if (!periods.isEmpty()) {
            List<SubscriptionState> rows = List.copyOf(periods.values());
            statements.add(tx.preparedQuery("UPDATE credit_account a SET period_start = u.period_start, period_end = u.period_end, "
                            + "credits_per_period = u.credits, credit_period = u.credit_period "
                            + "FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::bigint[], $5::text[]) "
                            + "AS u(account_id, period_start, period_end, credits, credit_period) WHERE a.account_id = u.account_id AND a.account_id = ANY($1)")
                    .execute(Tuple.tuple()
                            .addValue(rows.stream().map(SubscriptionState::accountId).toArray(String[]::new))
                            .addValue(rows.stream().map(s -> LedgerRepository.at(s.periodStart())).toArray(OffsetDateTime[]::new))
                            .addValue(rows.stream().map(s -> LedgerRepository.at(s.periodEnd())).toArray(OffsetDateTime[]::new))
                            .addValue(rows.stream().map(s -> s.credits().creditsPerPeriod()).toArray(Long[]::new))
                            .addValue(rows.stream().map(s -> s.credits().creditPeriod() == null ? null : s.credits().creditPeriod().name())
                                    .toArray(String[]::new))));
        }
        if (!created.isEmpty()) {
            Long[] ids = created.keySet().toArray(Long[]::new);
            statements.add(tx.preparedQuery("INSERT INTO credit_bucket (id, account_id, kind, remaining, expires_at, created_at) "
                            + "SELECT b.id, b.account_id, b.kind, b.remaining, b.expires_at, $6 "
                            + "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS b(id, account_id, kind, remaining, expires_at)")
                    .execute(Tuple.tuple().addValue(ids)
                            .addValue(created.values().stream().map(NewBucket::accountId).toArray(String[]::new))
                            .addValue(created.values().stream().map(NewBucket::kind).toArray(String[]::new))
                            .addValue(java.util.Arrays.stream(ids).map(createdAmount::get).toArray(Long[]::new))
                            .addValue(created.values().stream().map(b -> LedgerRepository.at(b.expiresAt())).toArray(OffsetDateTime[]::new))
                            .addValue(at)));
        }
        if (!taken.isEmpty()) {
            // bucket rows are written only under their accounts' locks (taken first, in account order), so this order cannot
            // close a cycle; they go in (account, bucket) order all the same, the one order of every path (README)
            Long[] ids = taken.keySet().stream().sorted(java.util.Comparator.comparing(takenFrom::get)).toArray(Long[]::new);
            statements.add(tx.preparedQuery("UPDATE credit_bucket b SET remaining = b.remaining - d.amount "
                            + "FROM unnest($1::bigint[], $2::bigint[]) AS d(id, amount) WHERE b.id = d.id AND b.id = ANY($1)")
                    .execute(Tuple.of(ids, java.util.Arrays.stream(ids).map(taken::get).toArray(Long[]::new))));
        }
        if (!entries.isEmpty()) {
            statements.add(tx.preparedQuery("INSERT INTO ledger_entry (account_id, bucket_id, bucket, kind, amount, reason, reference, created_at, "
                            + "effective_at) SELECT e.account_id, e.bucket_id, e.bucket, e.kind, e.amount, e.reason, e.reference, $8, e.effective_at "
                            + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $9::timestamptz[]) "
                            + "WITH ORDINALITY AS e(account_id, bucket_id, bucket, kind, amount, reason, reference, effective_at, n) ORDER BY e.n")
                    .execute(Tuple.tuple()
                            .addValue(entries.stream().map(Entry::accountId).toArray(String[]::new))
                            .addValue(entries.stream().map(Entry::bucketId).toArray(Long[]::new))
                            .addValue(entries.stream().map(Entry::bucket).toArray(String[]::new))
                            .addValue(entries.stream().map(Entry::kind).toArray(String[]::new))
                            .addValue(entries.stream().map(Entry::amount).toArray(Long[]::new))
                            .addValue(entries.stream().map(Entry::reason).toArray(String[]::new))
                            .addValue(entries.stream().map(Entry::reference).toArray(String[]::new))
                            .addValue(at)
                            .addValue(entries.stream().map(e -> LedgerRepository.at(e.effectiveAt())).toArray(OffsetDateTime[]::new))));
        }
        statements.add(outbox.addAll(tx, events));
        return Uni.combine().all().unis(statements).discardItems(); // pipelined on the connection, in order
    }
}
