package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of grants, debits, expiries and the passing of time, applied to buckets and an
 * entry log the way the service does, against a model that only keeps a running total per bucket:
 * balance always equals the sum of entries, never goes negative on BLOCK, and agrees with the model.
 */
class SpendingOrderPropertiesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    sealed interface Op permits Grant, Debit, Tick {
    }

    record Grant(CreditBucketKind kind, long credits, Long expiresInSeconds) implements Op {
    }

    record Debit(long credits) implements Op {
    }

    record Tick(long seconds) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> grant = Combinators.combine(Arbitraries.of(CreditBucketKind.class), Arbitraries.longs().between(1, 500),
                Arbitraries.longs().between(60, 7200).injectNull(0.5)).as(Grant::new);
        Arbitrary<Op> debit = Arbitraries.longs().between(1, 400).map(Debit::new);
        Arbitrary<Op> tick = Arbitraries.longs().between(1, 3600).map(Tick::new);
        return Arbitraries.oneOf(grant, debit, debit, tick).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void balanceIsAlwaysTheSumOfEntriesNeverNegativeOnBlockAndAgreesWithTheModel(@ForAll("operations") List<Op> ops) {
        List<BucketBalance> buckets = new ArrayList<>();
        List<long[]> entries = new ArrayList<>(); // {bucketId, amount}
        Instant now = T0;
        long modelRefusals = 0;
        long refusals = 0;
        for (Op op : ops) {
            if (op instanceof Grant g) {
                long id = buckets.size() + 1;
                buckets.add(new BucketBalance(id, g.kind(), g.credits(), g.expiresInSeconds() == null ? null : now.plusSeconds(g.expiresInSeconds())));
                entries.add(new long[] {id, g.credits()});
            } else if (op instanceof Tick t) {
                now = now.plusSeconds(t.seconds());
            } else if (op instanceof Debit d) {
                long modelAvailable = available(buckets, now);
                if (modelAvailable < d.credits()) {
                    modelRefusals++;
                }
                Spend spend = SpendingOrder.plan(buckets, d.credits(), now, Overage.Mode.BLOCK);
                if (spend.refused()) {
                    refusals++;
                    assertTrue(spend.takes().isEmpty(), "a refused debit takes nothing");
                    continue;
                }
                assertEquals(d.credits(), spend.covered(), "a BLOCK debit is covered whole");
                for (Spend.Take take : spend.takes()) {
                    int i = (int) take.bucketId() - 1;
                    BucketBalance b = buckets.get(i);
                    assertTrue(b.spendableAt(now), "only live buckets are spent");
                    buckets.set(i, new BucketBalance(b.bucketId(), b.kind(), b.remaining() - take.amount(), b.expiresAt()));
                    entries.add(new long[] {take.bucketId(), -take.amount()});
                }
            }
            for (BucketBalance b : buckets) {
                long sum = entries.stream().filter(e -> e[0] == b.bucketId()).mapToLong(e -> e[1]).sum();
                assertEquals(sum, b.remaining(), "bucket " + b.bucketId() + " is the sum of its entries");
                assertTrue(b.remaining() >= 0, "no bucket goes negative");
            }
        }
        assertEquals(modelRefusals, refusals, "refused exactly when the model has too little");
    }

    private static long available(List<BucketBalance> buckets, Instant now) {
        return buckets.stream().filter(b -> b.remaining() > 0 && (b.expiresAt() == null || now.isBefore(b.expiresAt())))
                .mapToLong(BucketBalance::remaining).sum();
    }
}
