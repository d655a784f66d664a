package dev.tally.credits.domain;

import static dev.tally.contracts.credits.CreditBucketKind.SUBSCRIPTION;
import static dev.tally.contracts.credits.CreditBucketKind.TOPUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Period ends forfeit and grant through one rule, whether a renewal or a credit period inside a yearly plan. */
class SubscriptionGrantsTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant END = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void aCreditPeriodEndForfeitsTheGrantsThatEndedWithItAndGrantsTheNextMonth() {
        var l = AccountLedgerTest.ledger(AccountLedgerTest.BLOCK, 0, null, List.of(new BucketBalance(1, SUBSCRIPTION, 30, FEB),
                new BucketBalance(2, SUBSCRIPTION, 5, END), new BucketBalance(3, TOPUP, 9, null)));
        var period = new SubscriptionPeriod(START, END, 100, BillingInterval.MONTH);
        SubscriptionGrants.creditPeriodEnded(l, period, FEB, "credit-period:s:" + FEB);
        assertEquals(List.of(new LedgerEntry(1, SUBSCRIPTION, EntryKind.FORFEIT, -30, "credit period ended " + FEB, "credit-period:s:" + FEB, null),
                new LedgerEntry(101, SUBSCRIPTION, EntryKind.GRANT, 100, "credits for the month from " + FEB, "credit-period:s:" + FEB, null)),
                l.record().entries());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), l.record().createdBuckets().get(0).expiresAt());
        assertEquals(2, l.record().announcements().size());
    }

    @Test
    void aCommandForAnotherPeriodOrAtItsEndIsLate() {
        var period = new SubscriptionPeriod(START, END, 100, BillingInterval.MONTH);
        assertTrue(SubscriptionGrants.creditPeriodApplies(period, START, END, FEB));
        assertFalse(SubscriptionGrants.creditPeriodApplies(period, START, END, END));
        assertFalse(SubscriptionGrants.creditPeriodApplies(period, FEB, END, FEB));
        assertFalse(SubscriptionGrants.creditPeriodApplies(null, START, END, FEB));
    }

    @Test
    void aPeriodEndForfeitsEverySubscriptionCreditLeftSoonestFirstAsOneAnnouncement() {
        var l = AccountLedgerTest.ledger(AccountLedgerTest.BLOCK, 0, null, List.of(new BucketBalance(2, SUBSCRIPTION, 5, END),
                new BucketBalance(1, SUBSCRIPTION, 30, FEB), new BucketBalance(3, TOPUP, 9, null)));
        long forfeited = l.forfeitSubscription(b -> true, Long.MAX_VALUE, "period ended", "e");
        assertEquals(35, forfeited);
        assertEquals(List.of(1L, 2L), l.record().entries().stream().map(LedgerEntry::bucketId).toList());
        assertEquals(35, l.record().announcements().get(0).credits());
        assertEquals(9, l.record().announcements().get(0).balance());
    }
}
