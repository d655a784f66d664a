package dev.tally.credits.domain;

import static dev.tally.contracts.credits.CreditBucketKind.DAILY;
import static dev.tally.contracts.credits.CreditBucketKind.ROLLOVER;
import static dev.tally.contracts.credits.CreditBucketKind.SUBSCRIPTION;
import static dev.tally.contracts.credits.CreditBucketKind.TOPUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.Rollover;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Capped rollover at a period end: the cap by credits or by percent, the excess forfeited, the lot's expiry, no setting = no change. */
class CreditRolloverTest {
    static final Instant NOW = AccountLedgerTest.NOW;
    static final Instant END = NOW.minusSeconds(60); // the period ended a minute ago
    static final Overage BLOCK = AccountLedgerTest.BLOCK;

    static AccountLedger ledger(Rollover rollover, long grant, List<BucketBalance> live) {
        AtomicLong ids = new AtomicLong(100);
        return new AccountLedger(new AccountTerms("acc", BLOCK, 0, null, 3, rollover, grant), live, ids::incrementAndGet, NOW);
    }

    @Test
    void aCapInCreditsRollsThatMuchIntoALotOfItsOwnAndForfeitsOnlyTheExcess() {
        var l = ledger(new Rollover(300L, null, 30), 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 450, END),
                new BucketBalance(2, TOPUP, 9, null)));
        assertEquals(1, CreditRollover.lotsDue(l.terms(), l.live(), NOW));
        l.expireDue();
        assertEquals(List.of(
                new LedgerEntry(1, SUBSCRIPTION, EntryKind.FORFEIT, -150, "credit period ended " + END + " (beyond the rollover cap of 300)",
                        "expiry:1", END),
                new LedgerEntry(1, SUBSCRIPTION, EntryKind.ROLLOVER, -300, "rolled over at " + END, "expiry:1", END),
                new LedgerEntry(101, ROLLOVER, EntryKind.GRANT, 300, "rolled over from the period ended " + END, "rollover:1", END)),
                l.record().entries());
        assertEquals(List.of(new LedgerRecord.NewBucket(101, ROLLOVER, 300, END.plus(Duration.ofDays(30)))), l.record().createdBuckets());
        assertEquals(309, l.available());
        var rolled = l.record().announcements().get(1);
        assertEquals(Announcement.Type.ROLLED_OVER, rolled.type());
        assertEquals(300, rolled.credits());
        assertEquals(150, rolled.forfeited());
        assertEquals(300, rolled.cap());
        assertEquals(Announcement.Type.FORFEITED, l.record().announcements().get(0).type());
        assertEquals(150, l.record().announcements().get(0).credits());
    }

    @Test
    void aCapInPercentIsOfThePeriodsGrantRoundedDown() {
        assertEquals(new CreditRollover.Split(125, 375, 125), CreditRollover.split(500, new Rollover(null, 25, 10), 501));
        var l = ledger(new Rollover(null, 10, 10), 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 60, END),
                new BucketBalance(2, SUBSCRIPTION, 70, END)));
        l.expireDue();
        assertEquals(100, l.record().createdBuckets().get(0).remaining());
        assertEquals(-30, l.record().entries().stream().filter(e -> e.kind() == EntryKind.FORFEIT).mapToLong(LedgerEntry::amount).sum());
        assertEquals(2, l.record().announcements().size(), "one forfeit and one rollover for the period, whatever its number of grants");
    }

    @Test
    void whatIsUnderTheCapRollsWholeAndNothingIsForfeited() {
        var l = ledger(new Rollover(300L, null, 30), 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 120, END)));
        l.expireDue();
        assertTrue(l.record().entries().stream().noneMatch(e -> e.kind() == EntryKind.FORFEIT));
        assertEquals(120, l.record().createdBuckets().get(0).remaining());
        assertEquals(1, l.record().announcements().size());
    }

    @Test
    void theRolledLotExpiresAfterItsDaysAndIsThenExpiredNotRolledAgain() {
        Instant lotEnd = NOW.minusSeconds(1);
        var l = ledger(new Rollover(300L, null, 30), 1000, List.of(new BucketBalance(7, ROLLOVER, 40, lotEnd)));
        assertEquals(0, CreditRollover.lotsDue(l.terms(), l.live(), NOW));
        l.expireDue();
        assertEquals(List.of(new LedgerEntry(7, ROLLOVER, EntryKind.EXPIRE, -40, "expired " + lotEnd, "expiry:7", lotEnd)),
                l.record().entries());
        assertTrue(l.record().createdBuckets().isEmpty());
    }

    @Test
    void theRolledLotIsSpentAfterTheDailyCreditsAndBeforeTheNewPeriodsGrant() {
        var l = ledger(null, 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 50, NOW.plusSeconds(3600)),
                new BucketBalance(2, ROLLOVER, 20, NOW.plusSeconds(7200)), new BucketBalance(3, DAILY, 5, NOW.plusSeconds(60))));
        var debit = l.debit(30, 0, "render", "debit:x");
        assertEquals(List.of(DAILY, ROLLOVER, SUBSCRIPTION), debit.spend().takes().stream().map(Spend.Take::kind).toList());
        assertEquals(List.of(5L, 20L, 5L), debit.spend().takes().stream().map(Spend.Take::amount).toList());
    }

    @Test
    void withoutARolloverSettingEverythingIsForfeitedAsBefore() {
        var l = ledger(null, 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 450, END)));
        assertEquals(0, CreditRollover.lotsDue(l.terms(), l.live(), NOW));
        l.expireDue();
        assertEquals(List.of(new LedgerEntry(1, SUBSCRIPTION, EntryKind.FORFEIT, -450, "credit period ended " + END, "expiry:1", END)),
                l.record().entries());
        assertTrue(l.record().createdBuckets().isEmpty());
        assertEquals(new CreditRollover.Split(0, 450, 0), CreditRollover.split(450, null, 1000));
    }

    @Test
    void aCapOfNothingRollsNothingAndCreatesNoLot() {
        var l = ledger(new Rollover(0L, null, 30), 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 10, END)));
        assertEquals(0, CreditRollover.lotsDue(l.terms(), l.live(), NOW));
        l.expireDue();
        assertTrue(l.record().createdBuckets().isEmpty());
        assertEquals(-10, l.record().entries().get(0).amount());
    }

    @Test
    void aMonthsEndInsideAYearlyPlanGrantingMonthlyRollsOverUpToTheCapForfeitsTheRestAndGrantsTheNextMonth() {
        Instant yearStart = END.atOffset(java.time.ZoneOffset.UTC).minusMonths(1).toInstant(); // the month that ended a minute ago was the first
        var year = new SubscriptionPeriod(yearStart, yearStart.atOffset(java.time.ZoneOffset.UTC).plusYears(1).toInstant(), 1000,
                dev.tally.contracts.plans.BillingInterval.MONTH);
        var l = ledger(new Rollover(300L, null, 30), 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 450, END), new BucketBalance(2, TOPUP, 9, null)));
        SubscriptionGrants.creditPeriodEnded(l, year, END, "credit-period:s:" + END);
        assertEquals(List.of(
                new LedgerEntry(1, SUBSCRIPTION, EntryKind.FORFEIT, -150, "credit period ended " + END + " (beyond the rollover cap of 300)",
                        "expiry:1", END),
                new LedgerEntry(1, SUBSCRIPTION, EntryKind.ROLLOVER, -300, "rolled over at " + END, "expiry:1", END),
                new LedgerEntry(101, ROLLOVER, EntryKind.GRANT, 300, "rolled over from the period ended " + END, "rollover:1", END),
                new LedgerEntry(102, SUBSCRIPTION, EntryKind.GRANT, 1000, "credits for the month from " + END, "credit-period:s:" + END, null)),
                l.record().entries(), "the month's rest rolls over as at a period end; nothing is left to forfeit whole");
        assertEquals(List.of(ROLLOVER, SUBSCRIPTION), l.record().createdBuckets().stream().map(LedgerRecord.NewBucket::kind).toList());
        assertEquals(END.plus(Duration.ofDays(30)), l.record().createdBuckets().get(0).expiresAt());
        assertEquals(300 + 1000 + 9, l.available());
        assertEquals(List.of(Announcement.Type.FORFEITED, Announcement.Type.ROLLED_OVER, Announcement.Type.GRANTED),
                l.record().announcements().stream().map(Announcement::type).toList());
    }

    @Test
    void aMonthsEndInsideAYearlyPlanWithoutARolloverForfeitsTheMonthsRestAsBefore() {
        Instant yearStart = END.atOffset(java.time.ZoneOffset.UTC).minusMonths(1).toInstant();
        var year = new SubscriptionPeriod(yearStart, yearStart.atOffset(java.time.ZoneOffset.UTC).plusYears(1).toInstant(), 1000,
                dev.tally.contracts.plans.BillingInterval.MONTH);
        var l = ledger(null, 1000, List.of(new BucketBalance(1, SUBSCRIPTION, 450, END)));
        SubscriptionGrants.creditPeriodEnded(l, year, END, "credit-period:s:" + END);
        assertEquals(List.of(new LedgerEntry(1, SUBSCRIPTION, EntryKind.FORFEIT, -450, "credit period ended " + END, "credit-period:s:" + END, null),
                new LedgerEntry(101, SUBSCRIPTION, EntryKind.GRANT, 1000, "credits for the month from " + END, "credit-period:s:" + END, null)),
                l.record().entries());
    }
}
