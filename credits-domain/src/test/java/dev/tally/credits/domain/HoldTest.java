package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HoldTest {
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    final Hold hold = new Hold(UUID.randomUUID(), "acc", 10, HoldStatus.OPEN, 0, "render", NOW.plusSeconds(60));

    @Test
    void anOpenHoldIsCapturedUpToWhatItReserves() {
        assertEquals(Optional.empty(), hold.captureRefusal(10, NOW));
        assertEquals(Optional.of(Hold.Refusal.EXCEEDS_HOLD), hold.captureRefusal(11, NOW));
    }

    @Test
    void aClosedHoldIsRefusedBeforeAnExpiredOneAndAnExpiredOneReservesNothing() {
        assertEquals(Optional.of(Hold.Refusal.CLOSED), hold.closed(HoldStatus.CAPTURED, 4).captureRefusal(1, NOW.plusSeconds(61)));
        assertEquals(Optional.of(Hold.Refusal.EXPIRED), hold.refusal(NOW.plusSeconds(60)));
        assertEquals(false, hold.openAt(NOW.plusSeconds(60)));
    }

    @Test
    void aCaptureIsADebitAtCaptureTimeBesideTheOtherHolds() {
        var l = AccountLedgerTest.ledger(AccountLedgerTest.BLOCK, 0, null,
                java.util.List.of(new BucketBalance(1, dev.tally.contracts.credits.CreditBucketKind.TOPUP, 18, null)));
        // 18 credits, 8 held by another hold: this hold's capture of 10 fits, then nothing is free beside the other hold
        assertEquals(false, l.debit(10, 8, "render", "hold:" + hold.id()).refused());
        assertEquals(true, l.debit(1, 8, "render", "hold:x").refused());
    }
}
