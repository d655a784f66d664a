package dev.tally.credits.domain;

import static dev.tally.contracts.credits.CreditBucketKind.DAILY;
import static dev.tally.contracts.credits.CreditBucketKind.PROMO;
import static dev.tally.contracts.credits.CreditBucketKind.SUBSCRIPTION;
import static dev.tally.contracts.credits.CreditBucketKind.TOPUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendingOrderTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void aDebitSpendsDailyThenSubscriptionThenPromoBySoonestExpiryThenTopup() {
        var buckets = List.of(
                new BucketBalance(1, TOPUP, 100, null),
                new BucketBalance(2, PROMO, 10, NOW.plusSeconds(7200)),
                new BucketBalance(3, PROMO, 10, NOW.plusSeconds(3600)),
                new BucketBalance(4, SUBSCRIPTION, 20, NOW.plusSeconds(86400)),
                new BucketBalance(5, DAILY, 5, NOW.plusSeconds(600)));
        Spend spend = SpendingOrder.plan(buckets, 50, NOW, Overage.Mode.BLOCK);
        assertEquals(List.of(new Spend.Take(5, DAILY, 5), new Spend.Take(4, SUBSCRIPTION, 20), new Spend.Take(3, PROMO, 10),
                new Spend.Take(2, PROMO, 10), new Spend.Take(1, TOPUP, 5)), spend.takes());
        assertEquals(0, spend.overage());
    }

    @Test
    void anExpiredPromoIsNotSpent() {
        var buckets = List.of(new BucketBalance(1, PROMO, 10, NOW.minusSeconds(1)), new BucketBalance(2, TOPUP, 10, null));
        assertEquals(List.of(new Spend.Take(2, TOPUP, 3)), SpendingOrder.plan(buckets, 3, NOW, Overage.Mode.BLOCK).takes());
        assertEquals(10, SpendingOrder.available(buckets, NOW));
    }

    @Test
    void onABlockPlanADebitBeyondTheBalanceIsRefusedAndTakesNothing() {
        Spend spend = SpendingOrder.plan(List.of(new BucketBalance(1, DAILY, 5, null)), 6, NOW, Overage.Mode.BLOCK);
        assertTrue(spend.refused());
        assertEquals(List.of(), spend.takes());
    }

    @Test
    void onABillPlanTheExcessIsOverage() {
        Spend spend = SpendingOrder.plan(List.of(new BucketBalance(1, DAILY, 5, null)), 8, NOW, Overage.Mode.BILL);
        assertEquals(5, spend.covered());
        assertEquals(3, spend.overage());
    }

    @Test
    void aBalanceOfNWithNPlusKSingleCreditDebitsEndsAtZeroWithExactlyKRefusals() {
        long n = 37;
        int k = 5;
        var bucket = new BucketBalance(1, SUBSCRIPTION, n, null);
        int refusals = 0;
        for (int i = 0; i < n + k; i++) {
            Spend s = SpendingOrder.plan(List.of(bucket), 1, NOW, Overage.Mode.BLOCK);
            if (s.refused()) {
                refusals++;
            } else {
                bucket = new BucketBalance(1, SUBSCRIPTION, bucket.remaining() - s.covered(), null);
            }
        }
        assertEquals(0, bucket.remaining());
        assertEquals(k, refusals);
    }
}
