package dev.tally.subscriptions.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A half-open span {@code [start, end)} in UTC, so consecutive periods share a boundary and never overlap. */
public record BillingPeriod(Instant start, Instant end) {

    public BillingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a period must end after it starts: [" + start + ", " + end + ")");
        }
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public long seconds() {
        return Duration.between(start, end).toSeconds();
    }

    /** Whole seconds from {@code now} to the end, clamped to {@code [0, seconds()]}: proration is by the second. */
    public long secondsLeftAt(Instant now) {
        long left = Duration.between(now, end).toSeconds();
        return Math.max(0, Math.min(seconds(), left));
    }

    /** The rest of this period from {@code now}; {@code now} must lie inside it. */
    public BillingPeriod restFrom(Instant now) {
        if (!contains(now)) {
            throw new IllegalArgumentException(now + " is not inside " + this);
        }
        return new BillingPeriod(now, end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
