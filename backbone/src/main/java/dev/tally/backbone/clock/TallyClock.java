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
 * Instants are cut to microseconds, PostgreSQL's precision, so an instant read back from the
 * database equals the one that was written (period ends are compared for equality).
 */
@ApplicationScoped
public class TallyClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get()).truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset.get());
    }

    /** Moves the clock so that now is {@code instant}; it keeps running from there. */
    public Instant set(Instant instant) {
        offset.set(Duration.between(Instant.now(), instant));
        return instant();
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public Instant advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
        return instant();
    }

    public Instant reset() {
        offset.set(Duration.ZERO);
        return instant();
    }
}
