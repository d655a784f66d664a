package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.opentest4j.AssertionFailedError;

/**
 * Random sequences of grants, debits, expiries and the passing of time, applied to buckets and an
 * entry log the way the service does, against a model that only keeps a running total per bucket:
 * balance always equals the sum of entries, never goes negative on BLOCK, and agrees with the model.
 *
 * <p>Each repetition draws its sequence from a seed it prints ({@code seed N}); a failure names the
 * seed too. The seeds are fixed (base + repetition) so a run is reproducible; {@code -Dtally.seed=N}
 * moves the base.
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

    private static final int TRIES = 300;
    private static final int MAX_OPS = 60;
    private static final CreditBucketKind[] KINDS = CreditBucketKind.values();

    /** A random sequence of up to {@value #MAX_OPS} operations; debits are drawn twice as often as grants or ticks. */
    static List<Op> operations(SplittableRandom random) {
        int size = random.nextInt(MAX_OPS + 1);
        List<Op> ops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ops.add(switch (random.nextInt(4)) {
                case 0 -> new Grant(KINDS[random.nextInt(KINDS.length)], random.nextLong(1, 501),
                        random.nextDouble() < 0.5 ? null : random.nextLong(60, 7201));
                case 1, 2 -> new Debit(random.nextLong(1, 401));
                default -> new Tick(random.nextLong(1, 3601));
            });
        }
        return ops;
    }

    static long seed(RepetitionInfo repetition) {
        return Long.getLong("tally.seed", 0x5BE4DL) + repetition.getCurrentRepetition();
    }

    @RepeatedTest(TRIES)
    void balanceIsAlwaysTheSumOfEntriesNeverNegativeOnBlockAndAgreesWithTheModel(RepetitionInfo repetition) {
        long seed = seed(repetition);
        System.out.println("seed " + seed);
        List<Op> ops = operations(new SplittableRandom(seed));
        try {
            check(ops);
        } catch (AssertionFailedError e) {
            throw new AssertionFailedError("seed " + seed + " (" + ops.size() + " ops): " + e.getMessage(), e);
        }
    }

    private static void check(List<Op> ops) {
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
