package dev.tally.credits.domain;

import static dev.tally.contracts.credits.CreditBucketKind.PROMO;
import static dev.tally.contracts.credits.CreditBucketKind.SUBSCRIPTION;
import static dev.tally.contracts.credits.CreditBucketKind.TOPUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.LotTakeback.Cause;
import dev.tally.credits.domain.LotTakeback.State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Voiding a lot, clawing a refunded top-up back with its shortfall, and a closed lot never spent or refilled again. */
class LotTakebackTest {
    static final Overage BLOCK = AccountLedgerTest.BLOCK;

    static AccountLedger ledger(BucketBalance... live) {
        return AccountLedgerTest.ledger(BLOCK, 0, null, List.of(live));
    }

    @Test
    void aVoidTakesWhatTheLotHoldsByOneVoidEntryAndClosesIt() {
        var l = ledger(new BucketBalance(1, PROMO, 40, AccountLedgerTest.NOW.plusSeconds(600)), new BucketBalance(2, TOPUP, 10, null));
        var out = LotTakeback.voidLot(l, State.none(1), "mistaken campaign", "void:1");
        assertEquals(40, out.taken());
        assertTrue(out.state().closed());
        assertEquals(Cause.VOID, out.state().cause());
        assertEquals(List.of(new LedgerEntry(1, PROMO, EntryKind.VOID, -40, "mistaken campaign", "void:1", null)), l.record().entries());
        assertEquals(10, l.available());
    }

    @Test
    void voidingAClosedLotAgainChangesNothing() {
        var l = ledger(new BucketBalance(2, TOPUP, 10, null));
        State closed = new State(1, true, 0, 40, 0, Cause.VOID);
        var out = LotTakeback.voidLot(l, closed, "again", "void:1");
        assertFalse(out.changed());
        assertEquals(closed, out.state());
        assertTrue(l.record().isEmpty());
    }

    @Test
    void aVoidedLotIsNeverSpentAgainADebitTakesFromTheOthersOrIsRefused() {
        var l = ledger(new BucketBalance(1, PROMO, 40, null), new BucketBalance(2, TOPUP, 10, null));
        LotTakeback.voidLot(l, State.none(1), "fraud", "void:1");
        DebitOutcome debit = l.debit(30, 0, "render", "debit:x");
        assertTrue(debit.refused(), "40 voided credits cannot pay a debit of 30 with 10 left");
        assertEquals(List.of(new Spend.Take(2, TOPUP, 10)), l.debit(10, 0, "render", "debit:y").spend().takes());
    }

    @Test
    void aReversalOfADebitThatSpentFromAVoidedLotDoesNotRefillIt() {
        var parts = List.of(new DebitReversal.Part(1, PROMO, 15, null), new DebitReversal.Part(2, TOPUP, 5, null));
        var withheld = LotTakeback.withhold(parts, Map.of(1L, new State(1, true, 0, 25, 0, Cause.VOID)));
        assertEquals(List.of(new DebitReversal.Part(2, TOPUP, 5, null)), withheld.parts());
        assertEquals(new State(1, true, 0, 40, 0, Cause.VOID), withheld.states().get(1L), "the 15 count as taken back");
        var l = ledger(new BucketBalance(2, TOPUP, 10, null));
        assertEquals(5, l.reverse(withheld.parts(), "reversal of d", "reversal:d"));
        assertEquals(Map.of(2L, -5L), l.record().takenFromBuckets(), "lot 1 gets nothing back");
    }

    @Test
    void aRefundAfterPartWasSpentClawsBackWhatRemainsAndRecordsTheShortfall() {
        var l = ledger(new BucketBalance(7, TOPUP, 400, null), new BucketBalance(8, SUBSCRIPTION, 100, null));
        long claimed = LotTakeback.claimed(1000, 900, 900);
        var out = LotTakeback.clawBack(l, State.none(7), 1000, claimed, Cause.REFUND, "top-up refunded", "clawback:re_1");
        assertEquals(400, out.taken());
        assertEquals(new State(7, true, 1000, 400, 600, Cause.REFUND), out.state());
        assertEquals(List.of(new LedgerEntry(7, TOPUP, EntryKind.CLAWBACK, -400, "top-up refunded", "clawback:re_1", null)),
                l.record().entries());
        assertEquals(100, l.available(), "the subscription credits stay spendable: a shortfall does not block spending");
    }

    @Test
    void theSameClaimAgainTheEchoOfARefundClawsNothingMore() {
        var l = ledger(new BucketBalance(2, SUBSCRIPTION, 100, null));
        State after = new State(7, true, 1000, 400, 600, Cause.REFUND);
        var again = LotTakeback.clawBack(l, after, 1000, 1000, Cause.REFUND, "echo", "clawback:ch_1");
        assertFalse(again.changed());
        assertEquals(after, again.state());
        assertTrue(l.record().isEmpty());
    }

    @Test
    void partialRefundsClawBackInProportionRoundedUpAndCumulatively() {
        assertEquals(334, LotTakeback.claimed(1000, 900, 300), "1000 x 300 / 900 = 333.3, rounded up");
        assertEquals(0, LotTakeback.claimed(1000, 900, 0));
        assertEquals(1000, LotTakeback.claimed(1000, 900, 1200), "never more than the lot");
        assertEquals(1, LotTakeback.claimed(1_000_000_000L, 999_999_999_999L, 1), "no overflow for large figures");
        var l = ledger(new BucketBalance(7, TOPUP, 1000, null));
        var first = LotTakeback.clawBack(l, State.none(7), 1000, LotTakeback.claimed(1000, 900, 300), Cause.REFUND, "refund", "r1");
        assertEquals(334, first.taken());
        assertFalse(first.state().closed(), "what the money kept pays for stays spendable");
        var second = LotTakeback.clawBack(l, first.state(), 1000, LotTakeback.claimed(1000, 900, 600), Cause.REFUND, "refund", "r2");
        assertEquals(333, second.taken(), "667 claimed in all");
        assertEquals(333, l.available());
    }

    @Test
    void aDisputeOfAVoidedLotOwesWhatWasSpentBeforeTheVoidAndAReversalSettlesIt() {
        var l = ledger(new BucketBalance(7, TOPUP, 300, null));
        State voided = LotTakeback.voidLot(l, State.none(7), "suspicious", "void:7").state();
        var dispute = LotTakeback.clawBack(l, voided, 1000, 1000, Cause.DISPUTE, "disputed", "clawback:dp_1");
        assertEquals(0, dispute.taken());
        assertEquals(700, dispute.state().shortfall(), "700 were spent before the void");
        var withheld = LotTakeback.withhold(List.of(new DebitReversal.Part(7, TOPUP, 200, null)), Map.of(7L, dispute.state()));
        assertTrue(withheld.parts().isEmpty(), "a closed lot is not refilled");
        assertEquals(500, withheld.states().get(7L).shortfall());
        assertEquals(500, withheld.states().get(7L).takenBack());
    }

    @Test
    void aReversalIntoAPartlyClawedLotSettlesItsShortfallFirstThenRefillsIt() {
        State partial = new State(7, false, 500, 400, 100, Cause.REFUND); // 1000 granted, 600 spent, half refunded
        var withheld = LotTakeback.withhold(List.of(new DebitReversal.Part(7, TOPUP, 600, null)), Map.of(7L, partial));
        assertEquals(List.of(new DebitReversal.Part(7, TOPUP, 500, null)), withheld.parts());
        assertEquals(new State(7, false, 500, 500, 0, Cause.REFUND), withheld.states().get(7L));
        var l = ledger();
        l.reverse(withheld.parts(), "reversal", "reversal:d");
        var rest = LotTakeback.clawBack(l, withheld.states().get(7L), 1000, 1000, Cause.REFUND, "refund", "r2");
        assertEquals(500, rest.taken());
        assertEquals(0, rest.state().shortfall(), "nothing was spent in the end: nothing is owed");
    }

    @Test
    void everySourceIsReadFromTheGrantsReference() {
        assertEquals(new LotSource(LotSource.Kind.TOPUP_PURCHASE, "p-1"), LotSource.of(TOPUP, "topup:p-1"));
        assertEquals(new LotSource(LotSource.Kind.PROMO, "k"), LotSource.of(PROMO, "promo:k"));
        assertEquals(new LotSource(LotSource.Kind.REVERSAL, "d-1"), LotSource.of(PROMO, "reversal:d-1"));
        assertEquals(LotSource.Kind.PLAN_PERIOD, LotSource.of(SUBSCRIPTION, "b2f8c1a0-event-id").kind());
        assertEquals(LotSource.Kind.PLAN_PERIOD, LotSource.of(SUBSCRIPTION, "credit-period:s:2026-02-01T00:00:00Z").kind());
        assertEquals(new LotSource(LotSource.Kind.DAILY, "2026-03-10"), LotSource.of(dev.tally.contracts.credits.CreditBucketKind.DAILY,
                "daily:2026-03-10"));
        assertEquals(LotSource.Kind.OTHER, LotSource.of(TOPUP, "").kind());
    }
}
