package dev.tally.backbone.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The latest moves of a {@link TallyClock} (set, frozen, advanced, reset), each with the real time it
 * was made: what tells how long, in real time, the clock has shown an instant as past. Moving the
 * clock past an instant makes it past at once, though nothing that runs on real time (a job every few
 * seconds) has had a chance to act on it yet.
 */
final class ClockMoves {
    /** How many moves are kept; an older one is forgotten. */
    static final int KEPT = 256;

    private record Move(Instant at, Instant to, boolean frozen) {
    }

    private final Deque<Move> moves = new ArrayDeque<>();
    private boolean forgotten;

    /** At real time {@code at} the clock was moved to {@code to} (standing still there if {@code frozen}). */
    synchronized void moved(Instant at, Instant to, boolean frozen) {
        moves.addLast(new Move(at, to, frozen));
        if (moves.size() > KEPT) {
            moves.removeFirst();
            forgotten = true;
        }
    }

    /**
     * As of real time {@code realNow}, the latest instant up to which every instant has been past on
     * the clock for at least {@code realTime}: what the clock showed {@code realTime} ago, lowered to
     * the landing of any move back made since (instants after it were not past for a while). Null when
     * the moves kept do not reach back that far.
     */
    synchronized Instant passedFor(Duration realTime, Instant realNow) {
        Instant then = realNow.minus(realTime);
        Move before = null;
        Instant lowest = null;
        for (Move m : moves) {
            if (!m.at().isAfter(then)) {
                before = m;
            } else if (lowest == null || m.to().isBefore(lowest)) {
                lowest = m.to();
            }
        }
        Instant shown;
        if (before != null) {
            shown = before.frozen() ? before.to() : before.to().plus(Duration.between(before.at(), then));
        } else if (!forgotten) {
            shown = then; // not moved before then: it showed the system time
        } else {
            return null;
        }
        return lowest != null && lowest.isBefore(shown) ? lowest : shown;
    }
}
