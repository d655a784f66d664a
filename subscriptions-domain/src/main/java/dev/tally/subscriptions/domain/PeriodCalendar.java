package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Period boundaries keep the anchor's day (docs/rules.md 5): the n-th boundary is always the anchor plus
 * n intervals, never the previous boundary plus one, so Jan 31 gives Feb 28 (29 in a leap year),
 * then Mar 31, then Apr 30, and the day never drifts.
 */
public final class PeriodCalendar {
    private PeriodCalendar() {
    }

    /** The {@code n}-th boundary after {@code anchor} (n = 0 is the anchor itself), in UTC. */
    public static Instant boundary(Instant anchor, BillingInterval interval, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        var at = anchor.atOffset(ZoneOffset.UTC);
        return (interval == BillingInterval.MONTH ? at.plusMonths(n) : at.plusYears(n)).toInstant();
    }

    /** The first boundary strictly after {@code after}, counted from the anchor. */
    public static Instant nextBoundary(Instant anchor, BillingInterval interval, Instant after) {
        long n = Math.max(0, estimate(anchor, interval, after) - 1);
        while (!boundary(anchor, interval, n).isAfter(after)) {
            n++;
        }
        return boundary(anchor, interval, n);
    }

    /** The period of the anchored cycle that contains {@code at} ({@code at} must not precede the anchor). */
    public static BillingPeriod periodContaining(Instant anchor, BillingInterval interval, Instant at) {
        if (at.isBefore(anchor)) {
            throw new IllegalArgumentException(at + " is before the anchor " + anchor);
        }
        Instant end = nextBoundary(anchor, interval, at);
        long n = Math.max(0, estimate(anchor, interval, end) + 1);
        while (!boundary(anchor, interval, n).isBefore(end)) {
            n--;
        }
        return new BillingPeriod(boundary(anchor, interval, n), end);
    }

    /** The first period of a cycle that starts (and is anchored) at {@code start}. */
    public static BillingPeriod firstPeriod(Instant start, BillingInterval interval) {
        return new BillingPeriod(start, boundary(start, interval, 1));
    }

    /**
     * The credit period containing {@code at} when credits come more often than billing (a yearly plan
     * granting monthly): counted from the same anchor and cut at the billing period's end. A credit
     * period as long as or longer than the billing interval is the billing period itself.
     */
    public static BillingPeriod creditPeriodContaining(Instant anchor, BillingPeriod billing, BillingInterval creditInterval,
                                                       Instant at) {
        if (!billing.contains(at)) {
            throw new IllegalArgumentException(at + " is not inside the billing period " + billing);
        }
        BillingPeriod credit = periodContaining(anchor, creditInterval, at);
        Instant start = credit.start().isBefore(billing.start()) ? billing.start() : credit.start();
        Instant end = credit.end().isAfter(billing.end()) ? billing.end() : credit.end();
        return new BillingPeriod(start, end);
    }

    private static long estimate(Instant anchor, BillingInterval interval, Instant at) {
        var from = anchor.atOffset(ZoneOffset.UTC);
        var to = at.atOffset(ZoneOffset.UTC);
        return interval == BillingInterval.MONTH ? ChronoUnit.MONTHS.between(from, to) : ChronoUnit.YEARS.between(from, to);
    }
}
