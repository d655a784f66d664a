package dev.tally.backbone.clock;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one clock a service reads time from. It is the system clock plus an offset that only the
 * dev/test clock endpoint moves, so a month of billing can be played in seconds while time still runs.
 * The endpoint may also freeze it at an instant (like Stripe's test clocks): it then stands still
 * until it is advanced, set again or reset, so a client can act at an exact instant (the end of a
 * period, half-way through it). Instants are cut to microseconds, PostgreSQL's precision, so an
 * instant read back from the database equals the one that was written (period ends are compared
 * for equality).
 */
@ApplicationScoped
public class TallyClock extends Clock {
    /** Running: now = system time + offset. Frozen: now = frozenAt, whatever the system time. */
    private record Setting(Duration offset, Instant frozenAt) {
        Instant now() {
            Instant t = frozenAt != null ? frozenAt : Instant.now().plus(offset);
            return t.truncatedTo(ChronoUnit.MICROS);
        }
    }

    private final AtomicReference<Setting> setting = new AtomicReference<>(new Setting(Duration.ZERO, null));
    private final ClockMoves moves = new ClockMoves();

    @Override
    public Instant instant() {
        return setting.get().now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        Setting s = setting.get();
        return s.frozenAt() != null ? Clock.fixed(s.now(), zone) : Clock.offset(Clock.system(zone), s.offset());
    }

    /** Whether the clock stands still until it is moved. */
    public boolean frozen() {
        return setting.get().frozenAt() != null;
    }

    /** Moves the clock so that now is {@code instant}; it keeps running from there. */
    public Instant set(Instant instant) {
        return set(instant, false);
    }

    /** Moves the clock so that now is {@code instant}; frozen, it then stands still there. */
    public Instant set(Instant instant, boolean freeze) {
        setting.set(freeze ? new Setting(Duration.ZERO, instant) : new Setting(Duration.between(Instant.now(), instant), null));
        return moved(freeze);
    }

    /** Moves the clock forward (or back, for a negative duration); a frozen clock stays frozen at the new instant. */
    public Instant advance(Duration by) {
        Setting now = setting.updateAndGet(s -> s.frozenAt() != null ? new Setting(Duration.ZERO, s.frozenAt().plus(by))
                : new Setting(s.offset().plus(by), null));
        return moved(now.frozenAt() != null);
    }

    /** Back to the system clock, running. */
    public Instant reset() {
        setting.set(new Setting(Duration.ZERO, null));
        return moved(false);
    }

    private Instant moved(boolean frozen) {
        Instant now = instant();
        moves.moved(Instant.now(), now, frozen);
        return now;
    }

    /**
     * The latest instant up to which every instant has been past on this clock for at least {@code
     * realTime} of real time (null: moved too often lately to tell). Without moves it is now less
     * {@code realTime}; right after a move ahead it is still where the clock stood {@code realTime}
     * ago, so an instant the move jumped over counts as past only from the move on: a job that acts
     * on what is past (every few seconds, in real time) has had {@code realTime} to do so.
     */
    public Instant passedFor(Duration realTime) {
        return moves.passedFor(realTime, Instant.now());
    }
}
