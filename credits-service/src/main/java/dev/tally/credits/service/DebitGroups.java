package dev.tally.credits.service;

import dev.tally.backbone.idempotency.IdempotentRequests.Claim;
import dev.tally.backbone.idempotency.StoredResponse;
import dev.tally.backbone.tx.Tx;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Debits grouped into shared transactions, the hot path: {@link DebitLanes} groups them (by account
 * into a few lanes, at most {@code tally.credits.debit-group-max} a group), {@link DebitTransaction}
 * runs a group in one transaction (the ledger rules are credits-domain's), and this answers each
 * debit and keeps the metrics. A group that fails is retried one debit at a time, so a bad debit
 * cannot fail its neighbours; a crash commits nothing half, and a retried key finds its stored answer.
 */
@ApplicationScoped
public class DebitGroups {
    private final Pool pool;
    private final DebitTransaction transaction;
    private final DebitLanes<Pending> lanes;
    private final DistributionSummary groupSizes;
    private final Timer groupTimes;

    public DebitGroups(Pool pool, DebitTransaction transaction,
                       @ConfigProperty(name = "tally.credits.debit-lanes", defaultValue = "4") int lanes,
                       @ConfigProperty(name = "tally.credits.debit-group-max", defaultValue = "200") int maxGroup,
                       MeterRegistry metrics) {
        this.groupSizes = DistributionSummary.builder("tally.credits.debit.group.size")
                .description("debits per shared transaction").register(metrics);
        this.groupTimes = Timer.builder("tally.credits.debit.group.time").description("one shared transaction, begin to commit")
                .register(metrics);
        this.pool = pool;
        this.transaction = transaction;
        this.lanes = new DebitLanes<>(lanes, maxGroup, p -> p.debit().accountId(), p -> p.debit().key(), this::run);
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
        return Uni.createFrom().emitter(emitter -> lanes.offer(new Pending(keyed, emitter)));
    }

    private Uni<Void> run(List<Pending> group) {
        groupSizes.record(group.size());
        long started = System.nanoTime();
        List<Debit> debits = group.stream().map(Pending::debit).toList();
        return pool.getConnection().flatMap(conn -> transaction.apply(Tx.of(conn), debits)
                        .onFailure().call(e -> conn.query("ROLLBACK").execute().onFailure().recoverWithNull())
                        .eventually(conn::close))
                .invoke(x -> groupTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
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
}
