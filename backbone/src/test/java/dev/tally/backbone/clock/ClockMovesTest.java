package dev.tally.backbone.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long, in real time, a moved clock has shown an instant as past (what the ledger check's grace counts). */
class ClockMovesTest {
    private static final Instant REAL = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static Instant real(long seconds) {
        return REAL.plusSeconds(seconds);
    }

    @Test
    void withoutMovesItIsNowLessTheRealTime() {
        assertEquals(real(70), new ClockMoves().passedFor(GRACE, real(100)));
    }

    @Test
    void aJumpAheadCountsWhatItJumpedOverAsPastOnlyFromTheJumpOn() {
        ClockMoves moves = new ClockMoves();
        Instant months = real(100).plus(Duration.ofDays(90));
        moves.moved(real(100), months, false);
        assertEquals(real(72), moves.passedFor(GRACE, real(102)), "2 s after the jump: where the clock stood 30 s ago");
        assertEquals(real(99), moves.passedFor(GRACE, real(129)));
        assertEquals(months, moves.passedFor(GRACE, real(130)), "30 s after it: all it jumped over");
        assertEquals(months.plusSeconds(5), moves.passedFor(GRACE, real(135)), "then it runs on");
    }

    @Test
    void aFrozenClockCountsRealTimeSinceItWasFrozen() {
        ClockMoves moves = new ClockMoves();
        Instant at = real(0).plus(Duration.ofDays(40));
        moves.moved(real(100), at, true);
        assertEquals(real(90), moves.passedFor(GRACE, real(120)));
        assertEquals(at, moves.passedFor(GRACE, real(131)), "standing still: the instant it stands at, once frozen for 30 s");
        moves.moved(real(200), at.plusSeconds(60), true); // advanced while frozen
        assertEquals(at, moves.passedFor(GRACE, real(210)));
        assertEquals(at.plusSeconds(60), moves.passedFor(GRACE, real(230)));
    }

    @Test
    void aMoveBackLowersItToWhereTheMoveLandedUntilTheGraceHasPassedAgain() {
        ClockMoves moves = new ClockMoves();
        moves.moved(real(0), real(0).plus(Duration.ofDays(10)), false);
        Instant back = real(100).plus(Duration.ofDays(2));
        moves.moved(real(100), back, false);
        assertEquals(back, moves.passedFor(GRACE, real(110)), "after its landing, instants are past again only since the move");
        assertEquals(back.plusSeconds(5), moves.passedFor(GRACE, real(135)));
    }

    @Test
    void tooManyMovesLatelyToTellAnswerNull() {
        ClockMoves moves = new ClockMoves();
        for (int i = 0; i <= ClockMoves.KEPT; i++) {
            moves.moved(real(90).plusMillis(i), real(0).plus(Duration.ofHours(i)), false);
        }
        assertNull(moves.passedFor(GRACE, real(100)));
        assertEquals(real(0).plus(Duration.ofHours(ClockMoves.KEPT)).plusSeconds(10).minusMillis(ClockMoves.KEPT),
                moves.passedFor(GRACE, real(130)), "once a kept move is old enough, from it on");
    }
}
