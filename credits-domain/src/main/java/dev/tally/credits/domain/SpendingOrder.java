package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order credits are spent in: DAILY, then ROLLOVER (subscription credits rolled over from the
 * period before: they were granted first and usually expire before the new period's grant), then
 * SUBSCRIPTION, then PROMO, then TOPUP (which never
 * expires and goes last, so bought credits last longest); within a kind, soonest expiry first, then
 * the oldest bucket. The order of kinds is the list {@link #KINDS}, written out here: it is not
 * CreditBucketKind's declaration order, so reordering that enum cannot change how accounts spend
 * (SpendingOrderTest compiles a reordered copy of the enum to prove it).
 */
public final class SpendingOrder {
    /** The kinds in the order a debit takes from them. */
    public static final List<CreditBucketKind> KINDS = List.of(CreditBucketKind.DAILY, CreditBucketKind.ROLLOVER,
            CreditBucketKind.SUBSCRIPTION, CreditBucketKind.PROMO, CreditBucketKind.TOPUP);
    private static final Map<CreditBucketKind, Integer> RANK = rank();

    public static final Comparator<BucketBalance> ORDER = Comparator
            .comparing((BucketBalance b) -> rank(b.kind()))
            .thenComparing(BucketBalance::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(BucketBalance::bucketId);

    private SpendingOrder() {
    }

    /** Where a kind comes in the spending order (0 first). */
    public static int rank(CreditBucketKind kind) {
        Integer rank = RANK.get(kind);
        if (rank == null) {
            throw new IllegalStateException("no place in the spending order for " + kind);
        }
        return rank;
    }

    private static Map<CreditBucketKind, Integer> rank() {
        Map<CreditBucketKind, Integer> out = new EnumMap<>(CreditBucketKind.class);
        for (int i = 0; i < KINDS.size(); i++) {
            out.put(KINDS.get(i), i);
        }
        if (out.size() != CreditBucketKind.values().length) {
            throw new IllegalStateException("the spending order must name every bucket kind once: " + KINDS);
        }
        return out;
    }

    /**
     * Plans a debit of {@code amount} over the live buckets at {@code now}. On BLOCK a debit the
     * buckets cannot cover is refused and takes nothing.
     */
    public static Spend plan(List<BucketBalance> buckets, long amount, Instant now, Overage.Mode mode) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a debit is a positive number of credits");
        }
        List<BucketBalance> live = buckets.stream().filter(b -> b.spendableAt(now)).sorted(ORDER).toList();
        List<Spend.Take> takes = new ArrayList<>();
        long left = amount;
        for (BucketBalance b : live) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, b.remaining());
            takes.add(new Spend.Take(b.bucketId(), b.kind(), take));
            left -= take;
        }
        if (left > 0 && mode != Overage.Mode.BILL) {
            return new Spend(List.of(), left, true);
        }
        return new Spend(List.copyOf(takes), left, false);
    }

    /**
     * Plans a debit when open holds reserve {@code held} of the credits: on BLOCK those cannot be
     * spent, so a debit that needs them is refused whole (on BILL the rest is overage as usual).
     */
    public static Spend plan(List<BucketBalance> buckets, long held, long amount, Instant now, Overage.Mode mode) {
        Spend spend = plan(buckets, amount, now, mode);
        long free = Math.max(0, available(buckets, now) - held);
        if (!spend.refused() && mode == Overage.Mode.BLOCK && free < amount) {
            return new Spend(List.of(), amount - free, true);
        }
        return spend;
    }

    /** The buckets as a spend leaves them (for planning several debits of one account in a row). */
    public static List<BucketBalance> after(List<BucketBalance> buckets, Spend spend) {
        Map<Long, Long> taken = new HashMap<>();
        spend.takes().forEach(t -> taken.merge(t.bucketId(), t.amount(), Long::sum));
        return buckets.stream().map(b -> taken.containsKey(b.bucketId())
                ? new BucketBalance(b.bucketId(), b.kind(), b.remaining() - taken.get(b.bucketId()), b.expiresAt()) : b).toList();
    }

    /** Spendable credits at {@code now}. */
    public static long available(List<BucketBalance> buckets, Instant now) {
        return buckets.stream().filter(b -> b.spendableAt(now)).mapToLong(BucketBalance::remaining).sum();
    }
}
