package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Billing periods are half-open {@code [start, end)} in UTC and keep the anchor's day: a period
 * end is always the anchor plus n intervals, never the previous end plus one, so Jan 31 gives
 * Feb 28 (29 in a leap year), then Mar 31.
 */
public final class Periods {
    private Periods() {
    }

    /** The end of the {@code n}-th period counted from {@code anchor}. */
    public static Instant endOf(Instant anchor, BillingInterval interval, int n) {
        var start = anchor.atOffset(ZoneOffset.UTC);
        return (interval == BillingInterval.MONTH ? start.plusMonths(n) : start.plusYears(n)).toInstant();
    }

    /** The first period end after {@code after}, counted from the anchor. */
    public static Instant nextEnd(Instant anchor, BillingInterval interval, Instant after) {
        int n = 1;
        while (!endOf(anchor, interval, n).isAfter(after)) {
            n++;
        }
        return endOf(anchor, interval, n);
    }
}
