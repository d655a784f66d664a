package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.idempotency.IdempotentRequests.Answered;
import dev.tally.backbone.idempotency.IdempotentRequests.Claim;
import dev.tally.backbone.idempotency.IdempotentRequests.Claimed;
import dev.tally.backbone.idempotency.StoredResponse;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.Spend;
import dev.tally.credits.domain.SpendingOrder;
import dev.tally.credits.repository.AccountTerms;
import dev.tally.credits.repository.HoldRepository;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerRepository.Taken;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Debits grouped into shared transactions, the hot path. A debit joins one of a few lanes (chosen
 * by account, so one account's debits keep their order and two lanes never wait on each other's
 * rows); a lane runs one transaction at a time, holding every debit queued since the last one (up
 * to {@code tally.credits.debit-group-max}). A transaction does the same few statements whatever
 * its size: lock the accounts in order, read their Idempotency-Keys, buckets and holds, plan
 * each debit in memory in arrival order (the same rules as a single debit), write the entries,
 * overage and stored answers. An idle lane runs a lone debit at once, so grouping adds no wait.
 * A group that fails is retried one debit at a time, so a bad debit cannot fail its neighbours;
 * a crash commits nothing half, and a retried key finds its stored answer.
 */
@ApplicationScoped
public class DebitGroups {
    private final Pool pool;
    private final LedgerRepository ledger;
    private final HoldRepository holds;
    private final DailyCredits daily;
    private final CreditLedger credits;
    private final Expiries expiries;
    private final IdempotentRequests idempotency;
    private final TallyClock clock;
    private final int maxGroup;
    private final Lane[] lanes;
    /**
     * The group's statements look rows up by key with array parameters; left to itself PostgreSQL
     * plans them anew on every execution (a custom plan for each array), which cost more CPU than
     * running them. Their generic plans are the same index lookups (checked with EXPLAIN), so the
     * group's transaction uses those (DebitThroughputBenchmark: shorter transactions, ratio 0.78 to 0.88).
     */
    private static final String GENERIC_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan";
    private final DistributionSummary groupSizes;
    private final Timer groupTimes;

    public DebitGroups(Pool pool, LedgerRepository ledger, HoldRepository holds, DailyCredits daily, CreditLedger credits,
                       Expiries expiries, IdempotentRequests idempotency, TallyClock clock,
                       @ConfigProperty(name = "tally.credits.debit-lanes", defaultValue = "4") int lanes,
                       @ConfigProperty(name = "tally.credits.debit-group-max", defaultValue = "200") int maxGroup,
                       MeterRegistry metrics) {
        this.groupSizes = DistributionSummary.builder("tally.credits.debit.group.size")
                .description("debits per shared transaction").register(metrics);
        this.groupTimes = Timer.builder("tally.credits.debit.group.time").description("one shared transaction, begin to commit")
                .register(metrics);
        this.pool = pool;
        this.ledger = ledger;
        this.holds = holds;
        this.daily = daily;
        this.credits = credits;
        this.expiries = expiries;
        this.idempotency = idempotency;
        this.clock = clock;
        this.maxGroup = maxGroup;
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane();
        }
    }

    /** One debit as asked: {@code claim} its Idempotency-Key and what that key must always come with (null without a key). */
    public record Debit(String accountId, String key, Claim claim, long amount, String reason) {
        String reference() {
            return "debit:" + key;
        }
    }

    private record Pending(Debit debit, UniEmitter<? super StoredResponse> answer) {
    }

    /** Spends in bucket order; the answer is 201 with what was taken, 402 on a BLOCK plan that cannot cover it, or a replay. */
    public Uni<StoredResponse> debit(Debit debit) {
        Debit keyed = debit.key() != null ? debit
                : new Debit(debit.accountId(), UUID.randomUUID().toString(), null, debit.amount(), debit.reason());
        return Uni.createFrom().emitter(emitter -> lanes[Math.floorMod(keyed.accountId().hashCode(), lanes.length)]
                .offer(new Pending(keyed, emitter)));
    }

    private final class Lane {
        private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();

        void offer(Pending pending) {
            queue.add(pending);
            drain();
        }

        private void drain() {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            List<Pending> group = new ArrayList<>();
            List<Pending> later = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            Pending next;
            while (group.size() < maxGroup && (next = queue.poll()) != null) {
                (keys.add(next.debit().accountId() + "\n" + next.debit().key()) ? group : later).add(next);
            }
            if (group.isEmpty()) {
                running.set(false);
                if (!queue.isEmpty()) { // a debit offered while this lane was finding its queue empty
                    drain();
                }
                return;
            }
            run(group).subscribe().with(x -> done(later), e -> done(later));
        }

        /** A repeated key waits for the next group, where it finds the first one's stored answer. */
        private void done(List<Pending> later) {
            queue.addAll(later);
            running.set(false);
            if (!queue.isEmpty()) {
                drain();
            }
        }
    }

    private Uni<Void> run(List<Pending> group) {
        groupSizes.record(group.size());
        long started = System.nanoTime();
        List<Debit> debits = group.stream().map(Pending::debit).toList();
        return pool.getConnection().flatMap(conn -> apply(conn, debits)
                        .onFailure().call(e -> conn.query("ROLLBACK").execute().onFailure().recoverWithNull())
                        .eventually(conn::close))
                .invoke(x -> groupTimes.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS))
                .invoke(answers -> {
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).answer().complete(answers.get(i));
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    // A refused statement or a failure in planning committed nothing, so each debit may run again
                    // alone. A lost connection leaves the commit unknown: each caller gets the error and retries
                    // with its Idempotency-Key, which finds the stored answer if the group did commit.
                    if (group.size() == 1 || e instanceof io.vertx.sqlclient.ClosedConnectionException) {
                        group.forEach(p -> p.answer().fail(e));
                        return Uni.createFrom().voidItem();
                    }
                    return Multi.createFrom().iterable(group).onItem().transformToUniAndConcatenate(p -> run(List.of(p)))
                            .collect().last().replaceWithVoid();
                });
    }

    /**
     * One transaction in two round trips: BEGIN, the account locks and the reads go out together
     * (they run in order, so the reads see what the locks protect), then the writes and COMMIT. A
     * statement that fails aborts the transaction, so the COMMIT behind it rolls back. Accounts seen
     * for the first time, or due their daily credits, take a slower path before the plan.
     */
    private Uni<List<StoredResponse>> apply(SqlConnection tx, List<Debit> debits) {
        Instant now = clock.instant();
        List<String> accounts = debits.stream().map(Debit::accountId).distinct().sorted().toList();
        List<Debit> keyed = debits.stream().filter(d -> d.claim() != null).toList();
        return Uni.combine().all().unis(tx.query("BEGIN").execute(), tx.query(GENERIC_PLANS).execute(), read(tx, accounts, keyed, now))
                .asTuple()
                .flatMap(begun -> {
                    Group g = begun.getItem3();
                    boolean known = g.terms().size() == accounts.size();
                    if (known && g.terms().values().stream().noneMatch(daily::isNewDay)) {
                        return Uni.createFrom().item(g);
                    }
                    // a new account would be created and locked after the others, out of order: start again, creating first
                    Uni<?> again = known ? Uni.createFrom().voidItem() : tx.query("ROLLBACK").execute()
                            .flatMap(x -> Uni.combine().all().unis(tx.query("BEGIN").execute(), tx.query(GENERIC_PLANS).execute()).discardItems());
                    return again.flatMap(x -> ledger.lockAccounts(tx, accounts, now))
                            .call(terms -> Multi.createFrom().iterable(terms.values().stream().sorted(java.util.Comparator.comparing(AccountTerms::accountId)).toList())
                                    .onItem().transformToUniAndConcatenate(t -> daily.resetIfNewDay(tx, t)).collect().last())
                            .flatMap(x -> read(tx, accounts, keyed, now));
                })
                .flatMap(g -> write(tx, debits, g, now));
    }

    /** Locks the accounts that exist, in order, and reads their keys, buckets and holds: four statements sent together. */
    private Uni<Group> read(SqlConnection tx, List<String> accounts, List<Debit> keyed, Instant now) {
        return Uni.combine().all().unis(ledger.lockExisting(tx, accounts), idempotency.findAll(tx, keyed.stream().map(Debit::claim).toList()),
                        ledger.liveBuckets(tx, accounts), holds.held(tx, accounts, now)).asTuple()
                .map(read -> new Group(read.getItem1(), read.getItem3(), read.getItem4(), keyed, read.getItem2()));
    }

    /** What one transaction knows of its accounts, and what it found of each keyed debit's key. */
    private record Group(Map<String, AccountTerms> terms, Map<String, List<BucketBalance>> buckets, Map<String, Long> held,
                         Map<Debit, Claimed> claims) {
        Group(Map<String, AccountTerms> terms, Map<String, List<BucketBalance>> buckets, Map<String, Long> held,
              List<Debit> keyed, List<Claimed> claimed) {
            this(terms, buckets, held, new IdentityHashMap<>());
            for (int i = 0; i < keyed.size(); i++) {
                claims.put(keyed.get(i), claimed.get(i));
            }
        }

        Claimed claim(Debit d) {
            return claims.getOrDefault(d, Claimed.FREE);
        }
    }

    private Uni<List<StoredResponse>> write(SqlConnection tx, List<Debit> debits, Group g, Instant now) {
        Uni<Void> expired = expiries.expireDue(tx, g.buckets(), now); // due buckets leave by entries before any debit is planned
        List<StoredResponse> answers = new ArrayList<>();
        List<Taken> taken = new ArrayList<>();
        List<String> overAccounts = new ArrayList<>();
        List<Long> overCredits = new ArrayList<>();
        List<String> overRefs = new ArrayList<>();
        List<Answered> stored = new ArrayList<>();
        List<Uni<Void>> lowBalances = new ArrayList<>();
        for (Debit d : debits) {
            Claimed claim = g.claim(d);
            if (!claim.run()) {
                answers.add(claim.replay() != null ? claim.replay() : idempotency.answer(claim.problem().problem()));
                continue;
            }
            List<BucketBalance> buckets = g.buckets().get(d.accountId());
            long held = g.held().getOrDefault(d.accountId(), 0L);
            long available = SpendingOrder.available(buckets, now) - held;
            Spend spend = SpendingOrder.plan(buckets, held, d.amount(), now, g.terms().get(d.accountId()).overage().mode());
            StoredResponse answer;
            if (spend.refused()) {
                answer = idempotency.answer(CreditLedger.insufficient(d.amount(), available));
            } else {
                spend.takes().forEach(t -> taken.add(new Taken(d.accountId(), t, d.reason(), d.reference())));
                if (spend.overage() > 0) {
                    overAccounts.add(d.accountId());
                    overCredits.add(spend.overage());
                    overRefs.add(d.reference());
                }
                g.buckets().put(d.accountId(), SpendingOrder.after(buckets, spend));
                lowBalances.add(credits.lowBalance(tx, d.accountId(), available, available - spend.covered(), now));
                answer = idempotency.answer(Answer.created(new CreditLedger.DebitResult(d.reference(),
                        d.amount(), spend.takes().stream().map(t -> new CreditLedger.Part(t.kind().name(), t.amount())).toList(),
                        spend.overage(), Math.max(0, available - spend.covered()))));
            }
            answers.add(answer);
            if (d.claim() != null) {
                stored.add(new Answered(d.claim(), claim, answer));
            }
        }
        List<Uni<Void>> writes = new ArrayList<>(List.of(expired, ledger.debitAll(tx, taken, now),
                ledger.recordOverages(tx, overAccounts, overCredits, overRefs, now), idempotency.storeAll(tx, stored)));
        writes.addAll(lowBalances);
        writes.add(tx.query("COMMIT").execute().replaceWithVoid()); // sent behind the writes: it commits only if none of them failed
        return Uni.join().all(writes).andFailFast().replaceWith(answers); // pipelined on the connection
    }
}
