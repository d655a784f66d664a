package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Spends from one bucket of each kind (given in reverse) and names the kinds in the order taken; run by ReorderedKindsTest in its own class loader. */
public final class SpendingProbe implements Supplier<List<String>> {
    @Override
    public List<String> get() {
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        List<BucketBalance> buckets = List.of(new BucketBalance(1, CreditBucketKind.valueOf("TOPUP"), 1, null),
                new BucketBalance(2, CreditBucketKind.valueOf("PROMO"), 1, now.plusSeconds(60)),
                new BucketBalance(3, CreditBucketKind.valueOf("SUBSCRIPTION"), 1, now.plusSeconds(60)),
                new BucketBalance(4, CreditBucketKind.valueOf("DAILY"), 1, now.plusSeconds(60)),
                new BucketBalance(5, CreditBucketKind.valueOf("ROLLOVER"), 1, now.plusSeconds(60)));
        return SpendingOrder.plan(buckets, 5, now, Overage.Mode.BLOCK).takes().stream()
                .map(t -> t.kind().name() + "@" + t.kind().ordinal()).toList();
    }
}
