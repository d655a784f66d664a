package dev.tally.credits.domain;

import static dev.tally.contracts.credits.CreditBucketKind.PROMO;
import static dev.tally.contracts.credits.CreditBucketKind.TOPUP;
import static dev.tally.credits.domain.BalanceAlerts.Kind.CREDITS;
import static dev.tally.credits.domain.BalanceAlerts.Kind.DEFAULT;
import static dev.tally.credits.domain.BalanceAlerts.Kind.OVERAGE;
import static dev.tally.credits.domain.BalanceAlerts.Kind.PERCENT_OF_GRANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.credits.domain.BalanceAlerts.Alert;
import dev.tally.credits.domain.BalanceAlerts.Change;
import dev.tally.credits.domain.BalanceAlerts.Signal;
import dev.tally.credits.domain.BalanceAlerts.Watch;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Balance alerts: down once per crossing, recovery, percentage thresholds, the default, the overage alert. */
class BalanceAlertsTest {
    static final Alert HUNDRED = new Alert("a1", CREDITS, 100, false);

    static AccountLedger ledger(long grant, long topup, Watch watch) {
        AtomicLong ids = new AtomicLong(100);
        var l = new AccountLedger(new AccountTerms("acc", AccountLedgerTest.BILL, 0, null, 3, null, grant),
                List.of(new BucketBalance(1, TOPUP, topup, null)), ids::incrementAndGet, AccountLedgerTest.NOW);
        l.watch(watch);
        return l;
    }

    @Test
    void debitsCrossingAThresholdDownSayLowOnceForTheWholeChange() {
        var l = ledger(0, 150, new Watch(List.of(HUNDRED), 0));
        l.debit(30, 0, "r", "debit:1"); // 120: above
        l.debit(30, 0, "r", "debit:2"); // 90: crossed
        l.debit(30, 0, "r", "debit:3"); // 60: still below
        List<Change> changes = BalanceAlerts.changes(l, 50);
        assertEquals(1, changes.size());
        assertEquals(Signal.LOW, changes.get(0).signal());
        assertEquals(60, changes.get(0).balance());
        assertTrue(changes.get(0).alert().tripped());
    }

    @Test
    void aTrippedAlertSaysNothingMoreOnTheWayDownAndRecoversAtOrAboveItsThreshold() {
        Alert below = new Alert("a1", CREDITS, 100, true);
        var down = ledger(0, 90, new Watch(List.of(below), 0));
        down.debit(40, 0, "r", "debit:1");
        assertTrue(BalanceAlerts.changes(down, 50).isEmpty());

        var up = ledger(0, 90, new Watch(List.of(below), 0));
        up.grant(PROMO, 9, null, "goodwill", "promo:1", true);
        assertTrue(BalanceAlerts.changes(up, 50).isEmpty(), "99 is still below 100");
        up.grant(PROMO, 1, null, "goodwill", "promo:2", true);
        List<Change> changes = BalanceAlerts.changes(up, 50);
        assertEquals(Signal.RECOVERED, changes.get(0).signal());
        assertFalse(changes.get(0).alert().tripped());
        assertEquals(100, changes.get(0).threshold());
    }

    @Test
    void aPercentageThresholdIsOfThePeriodsGrantRoundedDown() {
        Alert tenPercent = new Alert("p", PERCENT_OF_GRANT, 10, false);
        assertEquals(100, BalanceAlerts.threshold(tenPercent, 1009));
        var l = ledger(1009, 150, new Watch(List.of(tenPercent), 0));
        l.debit(50, 0, "r", "debit:1"); // 100: not below 100
        assertTrue(BalanceAlerts.changes(l, 50).isEmpty());
        l.debit(1, 0, "r", "debit:2"); // 99
        assertEquals(Signal.LOW, BalanceAlerts.changes(l, 50).get(0).signal());
        assertEquals(30, BalanceAlerts.grantOf(0, 30), "a plan granting only daily credits: the percentage is of those");
    }

    @Test
    void theDefaultThresholdAppliesOnlyToAnAccountWithoutBalanceAlerts() {
        var plain = ledger(0, 60, Watch.NONE);
        plain.debit(20, 0, "r", "debit:1");
        Change change = BalanceAlerts.changes(plain, 50).get(0);
        assertEquals(DEFAULT, change.alert().kind());
        assertEquals(BalanceAlerts.DEFAULT_ID, change.alert().alertId());
        assertEquals(50, change.threshold());

        var own = ledger(0, 60, new Watch(List.of(new Alert("a", CREDITS, 10, false)), 0));
        own.debit(20, 0, "r", "debit:1");
        assertTrue(BalanceAlerts.changes(own, 50).isEmpty(), "its own threshold of 10 replaces the default");
        var off = ledger(0, 60, Watch.NONE);
        off.debit(20, 0, "r", "debit:1");
        assertTrue(BalanceAlerts.changes(off, 0).isEmpty(), "a default of 0 is none");
    }

    @Test
    void aBalanceAlreadyBelowThatDoesNotFallSaysNothing() {
        var l = ledger(0, 0, Watch.NONE); // a new account: nothing yet, below the default, nothing said
        l.grant(PROMO, 10, null, "goodwill", "promo:1", true);
        assertTrue(BalanceAlerts.changes(l, 50).isEmpty());
        assertTrue(BalanceAlerts.startsTripped(CREDITS, 100, 0, 99, 0));
        assertFalse(BalanceAlerts.startsTripped(CREDITS, 100, 0, 100, 0));
    }

    @Test
    void anOverageAlertSaysOnceWhenTheOpenOveragePassesItsAmount() {
        Alert overage = new Alert("o", OVERAGE, 100, false);
        var l = ledger(0, 10, new Watch(List.of(overage, HUNDRED), 80));
        l.debit(30, 0, "r", "debit:1"); // 20 of overage: 100 open, not past 100
        assertTrue(BalanceAlerts.changes(l, 50).stream().noneMatch(c -> c.signal() == Signal.OVERAGE));
        l.debit(1, 0, "r", "debit:2"); // 101 open
        List<Change> changes = BalanceAlerts.changes(l, 50).stream().filter(c -> c.signal() == Signal.OVERAGE).toList();
        assertEquals(1, changes.size());
        assertEquals(101, changes.get(0).overage());
        var passed = ledger(0, 0, new Watch(List.of(new Alert("o", OVERAGE, 100, true)), 0));
        passed.debit(500, 0, "r", "debit:3");
        assertTrue(BalanceAlerts.changes(passed, 0).isEmpty(), "said once until the usage close re-arms it");
    }

    @Test
    void aLedgerWhoseAlertsWereNotReadOrThatMovedNothingHasNoChanges() {
        var unread = ledger(0, 60, null);
        unread.debit(20, 0, "r", "debit:1");
        assertTrue(BalanceAlerts.changes(unread, 50).isEmpty());
        var still = ledger(0, 10, Watch.NONE);
        assertFalse(BalanceAlerts.moved(still));
    }
}
