package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.domain.CreditRollover;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes the entries of buckets that expired while nobody touched their accounts, within a sweep
 * interval of their expiry (by {@link TallyClock}, so moving the dev clock past an expiry shows its
 * entry soon after). Each round is one transaction over a batch of accounts with due buckets, soonest
 * first: the accounts are locked in key order, then their due buckets in (account, bucket) order,
 * both {@code FOR UPDATE SKIP LOCKED}, so replicas (and a consumer or debit holding an account, which
 * expires its due buckets itself) never wait on each other; the buckets are re-read under the lock
 * and emptied by their ledgers (AccountLedger.expireDue), written by {@link LedgerWriter}. An account skipped as locked is left to its holder or
 * the next sweep. SUBSCRIPTION credits end with a period or credit period, and the event or command
 * of that end (a renewal, a revert to free, a credit-period end) expires them in its own transaction:
 * the sweep leaves them to it for {@code tally.credits.expiry-sweep-subscription-wait} (default 10s,
 * real time since the clock showed them past, well within the ledger check's grace) and only then
 * writes those still due, so in a renewal storm it does not race the renewals for the same accounts.
 * A non-blocking job: reactive SQL on the event loop, one round at a time.
 */
@ApplicationScoped
public class ExpirySweep {
    public static final String IDENTITY = "credit-expiry-sweep";
    private static final Logger LOG = Logger.getLogger(ExpirySweep.class);
    private final Pool pool;
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final TallyClock clock;
    private final int batch;
    private final Duration subscriptionWait;

    public ExpirySweep(Pool pool, LedgerRepository ledgers, LedgerWriter writer, TallyClock clock,
                       @ConfigProperty(name = "tally.credits.expiry-sweep-batch", defaultValue = "500") int batch,
                       @ConfigProperty(name = "tally.credits.expiry-sweep-subscription-wait", defaultValue = "10s") Duration subscriptionWait) {
        this.subscriptionWait = subscriptionWait;
        this.pool = pool;
        this.ledgers = ledgers;
        this.writer = writer;
        this.clock = clock;
        this.batch = batch;
    }

    @Scheduled(identity = IDENTITY, every = "${tally.credits.expiry-sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepOnSchedule() {
        return sweep().onFailure().recoverWithItem(e -> {
            LOG.warnf("expiring due credit buckets failed, the next sweep retries: %s", e.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** Expires every bucket due now whose account is not locked by someone else; the number of buckets expired. */
    public Uni<Integer> sweep() {
        Instant now = clock.instant();
        Instant passed = clock.passedFor(subscriptionWait); // null: moved too often lately to tell, so none is left waiting
        Instant subscriptionsUpTo = passed == null || passed.isAfter(now) ? now : passed;
        Set<String> skipped = new HashSet<>();
        return Multi.createBy().repeating().uni(() -> pool.withTransaction(tx -> round(tx, now, subscriptionsUpTo, skipped)))
                .whilst(round -> round.full()).select().first(10_000)
                .collect().in(() -> new int[1], (sum, round) -> sum[0] += round.expired()).map(sum -> sum[0]);
    }

    private record Round(boolean full, int expired) {
    }

    /** {@code subscriptionsUpTo}: SUBSCRIPTION buckets are candidates only once they expired by then (the wait above). */
    private Uni<Round> round(SqlConnection tx, Instant now, Instant subscriptionsUpTo, Set<String> skipped) {
        return tx.preparedQuery("SELECT account_id FROM credit_bucket WHERE live AND expires_at <= $1 AND NOT (account_id = ANY($2)) "
                        + "AND (expires_at <= $4 OR kind <> 'SUBSCRIPTION') ORDER BY expires_at LIMIT $3")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), skipped.toArray(String[]::new), batch, subscriptionsUpTo.atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    Set<String> candidates = new LinkedHashSet<>();
                    rows.forEach(r -> candidates.add(r.getString(0)));
                    if (candidates.isEmpty()) {
                        return Uni.createFrom().item(new Round(false, 0));
                    }
                    return expire(tx, candidates, now, subscriptionsUpTo, skipped).map(expired -> new Round(rows.size() == batch, expired));
                });
    }

    private Uni<Integer> expire(SqlConnection tx, Set<String> candidates, Instant now, Instant subscriptionsUpTo, Set<String> skipped) {
        return ledgers.lockUnlocked(tx, candidates).flatMap(terms -> {
            List<String> locked = terms.keySet().stream().sorted().toList();
            candidates.stream().filter(a -> !terms.containsKey(a)).forEach(skipped::add); // later rounds of this sweep pass them by
            if (locked.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            String[] accounts = locked.toArray(String[]::new);
            Uni<Set<Long>> due = tx.preparedQuery("SELECT id FROM credit_bucket WHERE account_id = ANY($1) AND live AND expires_at <= $2 "
                            + "AND (expires_at <= $3 OR kind <> 'SUBSCRIPTION') ORDER BY account_id, id FOR UPDATE SKIP LOCKED")
                    .execute(Tuple.of(accounts, now.atOffset(ZoneOffset.UTC), subscriptionsUpTo.atOffset(ZoneOffset.UTC)))
                    .map(ids -> {
                        Set<Long> out = new HashSet<>();
                        ids.forEach(r -> out.add(r.getLong(0)));
                        return out;
                    });
            return Uni.combine().all().unis(due, ledgers.liveBuckets(tx, locked)).asTuple().flatMap(read -> ledgers // ids for rolled-over lots
                    .reserve(tx, terms.values().stream().mapToInt(t -> CreditRollover.lotsDue(t, read.getItem2().get(t.accountId()), now)).sum())
                    .flatMap(ids -> {
                        var batch = LedgerRepository.ledgers(locked, terms, read.getItem2(), ids, now);
                        batch.values().forEach(ledger -> ledger.expireDue(read.getItem1()::contains));
                        return writer.write(Tx.of(tx), batch.values()).replaceWith(read.getItem1().size());
                    }));
        });
    }
}
