package dev.tally.credits.domain;

import static dev.tally.contracts.credits.CreditBucketKind.DAILY;
import static dev.tally.contracts.credits.CreditBucketKind.PROMO;
import static dev.tally.contracts.credits.CreditBucketKind.SUBSCRIPTION;
import static dev.tally.contracts.credits.CreditBucketKind.TOPUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ledger's own rules: grants, the daily reset, expiry, debits with holds and overage, reversal. */
class AccountLedgerTest {
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final Overage BLOCK = new Overage(Overage.Mode.BLOCK, 0, 1, null);
    static final Overage BILL = new Overage(Overage.Mode.BILL, 25, 10, "EUR");

    static AccountLedger ledger(Overage overage, long daily, LocalDate day, List<BucketBalance> live) {
        AtomicLong ids = new AtomicLong(100);
        return new AccountLedger(new AccountTerms("acc", overage, daily, day, 3), live, ids::incrementAndGet, NOW);
    }

    static long sum(AccountLedger l, long bucketId) {
        return l.record().entries().stream().filter(e -> e.bucketId() == bucketId).mapToLong(LedgerEntry::amount).sum();
    }

    @Test
    void aGrantIsANewBucketWithItsGrantEntryAndAnAnnouncementWithTheBalanceAfter() {
        var l = ledger(BLOCK, 0, null, List.of(new BucketBalance(1, TOPUP, 5, null)));
        l.grant(PROMO, 40, NOW.plusSeconds(60), "campaign", "promo:x", true);
        l.grant(PROMO, 0, null, "nothing", "promo:y", true);
        assertEquals(List.of(new LedgerRecord.NewBucket(101, PROMO, 40, NOW.plusSeconds(60))), l.record().createdBuckets());
        assertEquals(List.of(new LedgerEntry(101, PROMO, EntryKind.GRANT, 40, "campaign", "promo:x", null)), l.record().entries());
        assertEquals(45, l.record().announcements().get(0).balance());
        assertEquals(1, l.record().announcements().size(), "a grant of nothing is no grant");
    }

    @Test
    void theFirstTouchOfANewDayExpiresTheEarlierDayAndGrantsTheDayOnce() {
        var l = ledger(BLOCK, 30, LocalDate.parse("2026-03-09"), List.of(new BucketBalance(1, DAILY, 7, NOW.plusSeconds(3600))));
        assertTrue(l.isNewDay());
        l.resetDailyIfNewDay();
        l.resetDailyIfNewDay();
        assertEquals(List.of(new LedgerEntry(1, DAILY, EntryKind.EXPIRE, -7, AccountLedger.EARLIER_DAY, "", null),
                new LedgerEntry(101, DAILY, EntryKind.GRANT, 30, "daily credits 2026-03-10", "daily:2026-03-10", null)), l.record().entries());
        assertEquals(LocalDate.parse("2026-03-10"), l.terms().dailyDay());
        assertEquals(Instant.parse("2026-03-11T00:00:00Z"), l.record().createdBuckets().get(0).expiresAt());
        assertTrue(l.record().announcements().isEmpty(), "daily resets are not announced");
        assertFalse(ledger(BLOCK, 0, null, List.of()).isNewDay(), "an account without daily credits has no day to reset");
    }

    @Test
    void aDueBucketExpiresAtItsExpiryAndSubscriptionCreditsAreForfeitedInstead() {
        Instant promoEnd = NOW.minusSeconds(10);
        Instant subEnd = NOW.minusSeconds(5);
        var l = ledger(BLOCK, 0, null, List.of(new BucketBalance(1, PROMO, 4, promoEnd), new BucketBalance(2, SUBSCRIPTION, 6, subEnd),
                new BucketBalance(3, TOPUP, 9, null), new BucketBalance(4, DAILY, 2, NOW)));
        l.expireDue(id -> id != 4);
        assertEquals(List.of(new LedgerEntry(1, PROMO, EntryKind.EXPIRE, -4, "expired " + promoEnd, "expiry:1", promoEnd),
                new LedgerEntry(2, SUBSCRIPTION, EntryKind.FORFEIT, -6, "credit period ended " + subEnd, "expiry:2", subEnd)),
                l.record().entries());
        assertEquals(promoEnd, l.record().announcements().get(0).at());
        assertTrue(l.anyDue(), "bucket 4 was not admitted (locked by another)");
        l.expireDue();
        assertEquals(9, l.available());
        assertEquals(2, l.record().announcements().size(), "daily expiries are not announced");
    }

    @Test
    void aDebitTakesInSpendingOrderAndReportsTheFreeBalanceAroundIt() {
        var l = ledger(BLOCK, 0, null, List.of(new BucketBalance(1, TOPUP, 50, null), new BucketBalance(2, DAILY, 5, NOW.plusSeconds(60))));
        DebitOutcome d = l.debit(20, 10, "render", "debit:k");
        assertEquals(45, d.availableBefore());
        assertEquals(25, d.balanceAfter());
        assertEquals(List.of(new LedgerEntry(2, DAILY, EntryKind.DEBIT, -5, "render", "debit:k", null),
                new LedgerEntry(1, TOPUP, EntryKind.DEBIT, -15, "render", "debit:k", null)), l.record().entries());
        assertEquals(java.util.Map.of(1L, 15L, 2L, 5L), l.record().takenFromBuckets());
        assertTrue(d.crossed(30));
        assertFalse(d.crossed(20));
    }

    @Test
    void onBlockADebitThatNeedsHeldCreditsIsRefusedWholeAndChangesNothing() {
        var l = ledger(BLOCK, 0, null, List.of(new BucketBalance(1, TOPUP, 50, null)));
        assertTrue(l.debit(41, 10, "render", "debit:k").refused());
        assertTrue(l.record().isEmpty());
        assertTrue(l.mayReserve(40, 10));
        assertFalse(l.mayReserve(41, 10), "a hold cannot reserve what the plan lacks on BLOCK");
    }

    @Test
    void onBillTheUncoveredPartIsOverageUsage() {
        var l = ledger(BILL, 0, null, List.of(new BucketBalance(1, TOPUP, 5, null)));
        DebitOutcome d = l.debit(8, 0, "render", "debit:k");
        assertEquals(3, d.spend().overage());
        assertEquals(List.of(new LedgerRecord.OverageUsage(3, "debit:k")), l.record().overage());
        assertTrue(ledger(BILL, 0, null, List.of()).mayReserve(1000, 0));
    }

    @Test
    void aReversalRefillsLiveBucketsAndAnExpiredBucketsShareComesBackAsPromoFor30Days() {
        var l = ledger(BLOCK, 0, null, List.of(new BucketBalance(1, TOPUP, 5, null)));
        long back = l.reverse(List.of(new DebitReversal.Part(1, TOPUP, 3, null), new DebitReversal.Part(2, DAILY, 4, NOW.plusSeconds(5)),
                new DebitReversal.Part(3, SUBSCRIPTION, 6, NOW)), "reversal of d", "reversal:d");
        assertEquals(13, back);
        assertEquals(java.util.Map.of(1L, -3L, 2L, -4L), l.record().takenFromBuckets(), "the emptied bucket 2 is refilled too");
        assertEquals(List.of(new LedgerRecord.NewBucket(101, PROMO, 6, NOW.plus(DebitReversal.LATE_REFUND_VALIDITY))),
                l.record().createdBuckets());
        assertEquals("reversal of d (its bucket had expired)", l.record().entries().get(2).reason());
        assertEquals(EntryKind.REVERSAL, l.record().entries().get(0).kind());
        assertEquals(18, l.available());
    }

    @Test
    void aDebitIsReversedOnceAndOnlyIfItExists() {
        var debit = new DebitReversal.PastEntry(1, TOPUP, EntryKind.DEBIT, -3, "debit:d", null);
        var plan = DebitReversal.plan("debit:d", List.of(debit));
        assertEquals(DebitReversal.Verdict.REVERSE, plan.verdict());
        assertEquals(List.of(new DebitReversal.Part(1, TOPUP, 3, null)), plan.parts());
        assertEquals(DebitReversal.Verdict.ALREADY_REVERSED, DebitReversal.plan("debit:d",
                List.of(debit, new DebitReversal.PastEntry(9, PROMO, EntryKind.GRANT, 3, "reversal:debit:d", null))).verdict());
        assertEquals(DebitReversal.Verdict.NOT_FOUND, DebitReversal.plan("debit:e", List.of()).verdict());
    }

    @Test
    void entriesAlwaysSumToWhatTheBucketsMoved() {
        var l = ledger(BILL, 10, null, List.of(new BucketBalance(1, SUBSCRIPTION, 20, NOW.plusSeconds(99)), new BucketBalance(2, PROMO, 3, NOW)));
        l.touch();
        l.debit(25, 0, "r", "debit:a");
        l.forfeitSubscription(b -> true, Long.MAX_VALUE, "period ended", "e1");
        for (var moved : l.record().takenFromBuckets().entrySet()) {
            assertEquals(-moved.getValue(), sum(l, moved.getKey()));
        }
        for (var fresh : l.record().createdBuckets()) {
            assertEquals(fresh.remaining(), sum(l, fresh.id()));
        }
    }
}
