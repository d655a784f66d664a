package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.idempotency.IdempotentRequests.Answered;
import dev.tally.backbone.idempotency.IdempotentRequests.Claimed;
import dev.tally.backbone.idempotency.StoredResponse;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.AccountTerms;
import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.domain.BalanceAlerts;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.BucketIds;
import dev.tally.credits.domain.DebitOutcome;
import dev.tally.credits.repository.AutoTopupRepository;
import dev.tally.credits.repository.DebitWatches;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.service.DebitGroups.Debit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One group of debits in one transaction, the same few statements whatever its size, in two round
 * trips: BEGIN, the account locks (in order) and the reads of keys, buckets, and holds, balance alerts
 * and armed auto top-ups go out together (they run in order, so the reads see what the locks protect);
 * each debit is asked of its account's ledger in arrival order (credits-domain's AccountLedger.debit,
 * after the due expiries);
 * then the ledgers' writes ({@link LedgerWriter}), the stored answers and COMMIT go out together. A
 * statement that fails aborts the transaction, so the COMMIT behind it rolls back. Accounts seen for
 * the first time, or due their daily credits, take a slower path before the plan. The {@link Tx} is
 * on a pooled connection ({@code Tx.Kind.CONNECTION}) whose BEGIN and COMMIT this sends itself, so
 * they travel with the statements; the Idempotency-Key rows and the outbox rows go through the
 * backbone's writers on it, in the same round trips.
 */
@ApplicationScoped
public class DebitTransaction {
    /**
     * The group's statements look rows up by key with array parameters; left to itself PostgreSQL
     * plans them anew on every execution (a custom plan for each array), which cost more CPU than
     * running them. Their generic plans are the same index lookups (checked with EXPLAIN), so the
     * group's transaction uses those (DebitThroughputBenchmark: shorter transactions, ratio 0.78 to 0.88).
     */
    private static final String BEGIN = "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan"; // one simple query, two statements
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final DebitWatches watches;
    private final IdempotentRequests idempotency;
    private final TallyClock clock;
    private final AutoTopupRepository autoTopups;

    public DebitTransaction(LedgerRepository ledgers, LedgerWriter writer, DebitWatches watches,
                            IdempotentRequests idempotency, TallyClock clock, AutoTopupRepository autoTopups) {
        this.autoTopups = autoTopups;
        this.ledgers = ledgers;
        this.writer = writer;
        this.watches = watches;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** The answers, one per debit in order; the transaction is committed when they come. */
    Uni<List<StoredResponse>> apply(Tx boundary, List<Debit> debits) {
        SqlConnection tx = boundary.connection();
        Instant now = clock.instant();
        List<String> accounts = debits.stream().map(Debit::accountId).distinct().sorted().toList();
        List<Debit> keyed = debits.stream().filter(d -> d.claim() != null).toList();
        return Uni.combine().all().unis(tx.query(BEGIN).execute(), read(boundary, accounts, keyed, now))
                .asTuple()
                .flatMap(begun -> {
                    Group g = begun.getItem2();
                    boolean known = g.terms().size() == accounts.size();
                    int resets = LedgerRepository.newBucketsDue(g.terms(), g.buckets(), now);
                    if (known) { // due its daily credits: ids for the new days' buckets
                        return resets == 0 ? Uni.createFrom().item(g) : ledgers.reserve(tx, resets).map(g::with);
                    }
                    // a new account would be created and locked after the others, out of order: start again, creating first
                    return tx.query("ROLLBACK").execute()
                            .flatMap(x -> tx.query(BEGIN).execute())
                            .flatMap(x -> ledgers.lockAccounts(tx, accounts, now))
                            .flatMap(x -> read(boundary, accounts, keyed, now))
                            .flatMap(read -> ledgers.reserve(tx, LedgerRepository.newBucketsDue(read.terms(), read.buckets(), now)).map(read::with));
                })
                .flatMap(g -> write(boundary, debits, g, now));
    }

    /**
     * Locks the accounts that exist, in order, and reads their keys, buckets, and their holds, balance alerts and armed auto
     * top-ups ({@link DebitWatches}, one statement behind the locks): four statements sent together.
     */
    private Uni<Group> read(Tx boundary, List<String> accounts, List<Debit> keyed, Instant now) {
        SqlConnection tx = boundary.connection();
        return Uni.combine().all().unis(ledgers.lockExisting(tx, accounts), idempotency.findAll(boundary, keyed.stream().map(Debit::claim).toList()),
                        ledgers.liveBuckets(tx, accounts), watches.read(tx, accounts, now)).asTuple()
                .map(read -> new Group(read.getItem1(), read.getItem3(), read.getItem4().held(), claims(keyed, read.getItem2()), BucketIds.NONE,
                        read.getItem4().alerts(), read.getItem4().armed()));
    }

    private static Map<Debit, Claimed> claims(List<Debit> keyed, List<Claimed> claimed) {
        Map<Debit, Claimed> out = new IdentityHashMap<>();
        for (int i = 0; i < keyed.size(); i++) {
            out.put(keyed.get(i), claimed.get(i));
        }
        return out;
    }

    /** What one transaction knows of its accounts, what it found of each keyed debit's key, ids for the day's resets, the alerts, the armed auto top-ups. */
    private record Group(Map<String, AccountTerms> terms, Map<String, List<BucketBalance>> buckets, Map<String, Long> held,
                         Map<Debit, Claimed> claims, BucketIds ids, Map<String, BalanceAlerts.Watch> watches,
                         Map<String, AutoTopup> armed) {
        Claimed claim(Debit d) {
            return claims.getOrDefault(d, Claimed.FREE);
        }

        Group with(BucketIds reserved) {
            return new Group(terms, buckets, held, claims, reserved, watches, armed);
        }
    }

    private Uni<List<StoredResponse>> write(Tx boundary, List<Debit> debits, Group g, Instant now) {
        SqlConnection tx = boundary.connection();
        Map<String, AccountLedger> batch = LedgerRepository.ledgers(g.terms().keySet().stream().sorted().toList(), g.terms(), g.buckets(),
                g.ids(), now);
        batch.values().forEach(AccountLedger::touch); // the day's reset and the due expiries, by entries, before any debit is planned
        batch.forEach((a, l) -> l.watch(g.watches().getOrDefault(a, BalanceAlerts.Watch.NONE))); // checked by the writer, no read of its own
        List<StoredResponse> answers = new ArrayList<>();
        List<Answered> stored = new ArrayList<>();
        List<OutgoingEvent<?>> events = new ArrayList<>();
        AutoTopupCrossings crossings = new AutoTopupCrossings(g.armed(), now);
        for (Debit d : debits) {
            Claimed claim = g.claim(d);
            if (!claim.run()) {
                answers.add(claim.replay() != null ? claim.replay() : idempotency.answer(claim.problem().problem()));
                continue;
            }
            DebitOutcome debit = batch.get(d.accountId()).debit(d.amount(), g.held().getOrDefault(d.accountId(), 0L), d.reason(), d.reference());
            StoredResponse answer;
            if (debit.refused()) {
                answer = idempotency.answer(CreditLedger.insufficient(d.amount(), debit.availableBefore()));
            } else {
                crossings.debited(d.accountId(), debit);
                answer = idempotency.answer(Answer.created(CreditLedger.result(d.reference(), d.amount(), debit)));
            }
            answers.add(answer);
            if (d.claim() != null) {
                stored.add(new Answered(d.claim(), claim, answer));
            }
        }
        events.addAll(crossings.events());
        List<Uni<Void>> writes = List.of(writer.write(boundary, batch.values(), events), idempotency.storeAll(boundary, stored),
                autoTopups.save(tx, crossings.changed(), now),
                tx.query("COMMIT").execute().replaceWithVoid()); // sent behind the writes: it commits only if none of them failed
        return Uni.join().all(writes).andFailFast().replaceWith(answers); // pipelined on the connection
    }
}
