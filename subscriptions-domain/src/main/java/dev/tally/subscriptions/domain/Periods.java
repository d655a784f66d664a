package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;

/** The first names of the anchor-day rules, kept because subscriptions-service calls them; see {@link PeriodCalendar}. */
public final class Periods {
    private Periods() {
    }

    /** The end of the {@code n}-th period counted from {@code anchor}. */
    public static Instant endOf(Instant anchor, BillingInterval interval, int n) {
        return PeriodCalendar.boundary(anchor, interval, n);
    }

    /** The first period end after {@code after}, counted from the anchor. */
    public static Instant nextEnd(Instant anchor, BillingInterval interval, Instant after) {
        return PeriodCalendar.nextBoundary(anchor, interval, after);
    }
}
