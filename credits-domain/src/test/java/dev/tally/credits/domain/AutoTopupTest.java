package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.credits.domain.AutoTopup.Outcome;
import java.time.YearMonth;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AutoTopupTest {
    static final YearMonth MARCH = YearMonth.of(2026, 3);
    // below 100 credits buy pack-500 (500 credits for 900 minor), at most 2,000 a month, off after 3 failures in a row
    final AutoTopup set = AutoTopup.configure(null, "acc", 100, "pack-500", 500, 900, "USD", 2_000, 3);

    @Test
    void aDebitFromAtOrAboveTheThresholdToBelowItIsACrossingAndNothingElseIs() {
        assertTrue(AutoTopup.crossed(100, 99, 100));
        assertTrue(AutoTopup.crossed(150, 0, 100));
        assertFalse(AutoTopup.crossed(99, 50, 100), "already below: no new crossing");
        assertFalse(AutoTopup.crossed(150, 100, 100), "down to the threshold is not below it");
    }

    @Test
    void aCrossingAsksForOneTopUpAndReservesItsPriceInTheMonth() {
        UUID request = UUID.randomUUID();
        var d = set.onDebit(120, 80, request, MARCH);
        assertEquals(Outcome.REQUESTED, d.outcome());
        assertEquals(request, d.after().inFlight());
        assertEquals(900, d.after().spentIn(MARCH));
        assertEquals(0, d.after().spentIn(MARCH.plusMonths(1)), "a new month starts at zero");
    }

    @Test
    void whileOneIsInFlightAnotherCrossingAsksForNothing() {
        var first = set.onDebit(120, 80, UUID.randomUUID(), MARCH).after();
        var again = first.onDebit(130, 10, UUID.randomUUID(), MARCH);
        assertEquals(Outcome.NONE, again.outcome());
        assertEquals(first, again.after());
    }

    @Test
    void aDebitBelowTheThresholdAlreadyOrWithAutoTopUpOffAsksForNothing() {
        assertEquals(Outcome.NONE, set.onDebit(90, 10, UUID.randomUUID(), MARCH).outcome());
        assertEquals(Outcome.NONE, set.switchedOff().onDebit(120, 10, UUID.randomUUID(), MARCH).outcome());
    }

    @Test
    void aPackThatWouldTakeTheMonthPastItsCapIsSkippedAndNothingIsInFlight() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        var twice = set.onDebit(120, 80, a, MARCH).after().settled(a).onDebit(120, 80, b, MARCH).after().settled(b); // 1,800 spent
        var third = twice.onDebit(120, 80, UUID.randomUUID(), MARCH);
        assertEquals(Outcome.SKIPPED_FOR_CAP, third.outcome(), "1,800 + 900 > 2,000");
        assertNull(third.after().inFlight());
        assertTrue(third.after().enabled());
        assertEquals(Outcome.REQUESTED, twice.onDebit(120, 80, UUID.randomUUID(), MARCH.plusMonths(1)).outcome(), "April has its own cap");
    }

    @Test
    void aSettledPaymentClearsTheOneInFlightAndTheFailuresButNotAnotherRequestsSettlement() {
        UUID a = UUID.randomUUID();
        var failedOnce = set.onDebit(120, 80, a, MARCH).after().failed(a).after();
        UUID b = UUID.randomUUID();
        var inFlight = failedOnce.onDebit(120, 80, b, MARCH).after();
        assertEquals(inFlight, inFlight.settled(UUID.randomUUID()));
        var settled = inFlight.settled(b);
        assertNull(settled.inFlight());
        assertEquals(0, settled.failuresInRow());
        assertEquals(900, settled.spentIn(MARCH), "the failed one gave its money back; the settled one counts");
    }

    @Test
    void failuresInARowSwitchItOffAtMaxFailuresOnceAndSaySo() {
        AutoTopup t = set;
        for (int i = 1; i <= 2; i++) {
            UUID r = UUID.randomUUID();
            var f = t.onDebit(120, 80, r, MARCH).after().failed(r);
            assertFalse(f.switchedOff());
            assertEquals(i, f.after().failuresInRow());
            assertEquals(0, f.after().spentIn(MARCH));
            t = f.after();
        }
        UUID r = UUID.randomUUID();
        var third = t.onDebit(120, 80, r, MARCH).after().failed(r);
        assertTrue(third.switchedOff());
        assertFalse(third.after().enabled());
        assertEquals(AutoTopup.PAYMENT_FAILURES, third.after().disabledReason());
        assertFalse(third.after().failed(r).switchedOff(), "a repeated failure is not counted again");
    }

    @Test
    void aFailureOfAnotherRequestCountsNothingAndNewSettingsStartTheCountAgain() {
        UUID r = UUID.randomUUID();
        var inFlight = set.onDebit(120, 80, r, MARCH).after();
        assertEquals(inFlight, inFlight.failed(UUID.randomUUID()).after());
        var failed = inFlight.failed(r).after();
        var again = AutoTopup.configure(failed, "acc", 50, "pack-500", 500, 900, "USD", 5_000, 2);
        assertEquals(0, again.failuresInRow());
        assertTrue(again.enabled());
        assertNull(again.disabledReason());
    }

    @Test
    void aTopUpLeftUnansweredTimesOutCountsAsAFailureKeepsItsMoneyInTheMonthAndLetsTheNextCrossingAsk() {
        UUID lost = UUID.randomUUID();
        var inFlight = set.onDebit(120, 80, lost, MARCH).after();
        assertEquals(Outcome.NONE, set.onDebit(120, 80, UUID.randomUUID(), MARCH).after().timedOut(lost).after()
                .onDebit(130, 10, UUID.randomUUID(), MARCH).outcome(), "another request's timeout changes nothing");
        var timedOut = inFlight.timedOut(lost);
        assertFalse(timedOut.switchedOff());
        assertNull(timedOut.after().inFlight());
        assertEquals(1, timedOut.after().failuresInRow());
        assertEquals(900, timedOut.after().spentIn(MARCH), "it may have been paid: its price stays in the month");
        UUID next = UUID.randomUUID();
        var again = timedOut.after().onDebit(120, 80, next, MARCH);
        assertEquals(Outcome.REQUESTED, again.outcome());
        assertEquals(1_800, again.after().spentIn(MARCH));
        assertEquals(again.after(), again.after().settled(lost), "a late settlement of the lost one changes nothing here (granted by its purchase)");
        assertEquals(again.after(), again.after().timedOut(lost).after());
    }

    @Test
    void timeoutsInARowSwitchItOffAtMaxFailures() {
        AutoTopup t = AutoTopup.configure(null, "acc", 100, "pack-500", 500, 900, "USD", 10_000, 2);
        UUID first = UUID.randomUUID();
        var one = t.onDebit(120, 80, first, MARCH).after().timedOut(first);
        assertFalse(one.switchedOff());
        UUID second = UUID.randomUUID();
        var two = one.after().onDebit(120, 80, second, MARCH).after().timedOut(second);
        assertTrue(two.switchedOff());
        assertFalse(two.after().enabled());
        assertEquals(AutoTopup.PAYMENT_FAILURES, two.after().disabledReason());
    }
}
