package dev.tally.contracts.billing;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Credit periods inside a billing period (docs/rules.md 1, Credits: a yearly plan may grant monthly).
 * They are counted from the billing period's start, the k-th boundary being the start plus k
 * credit intervals (so the day never drifts: Jan 31, Feb 28/29, Mar 31), and the last one is cut at
 * the billing period's end. The scheduler sets its timers from these boundaries and credits-service
 * dates its grants by them, so both always agree.
 */
public final class CreditPeriods {
    private CreditPeriods() {
    }

    /** Whether credits come more often than billing (only then are there boundaries inside a period). */
    public static boolean shorterThanBilling(BillingInterval billing, BillingInterval credit) {
        return billing == BillingInterval.YEAR && credit == BillingInterval.MONTH;
    }

    /** The credit period boundaries strictly inside {@code [periodStart, periodEnd)}, in order. */
    public static List<Instant> boundariesInside(Instant periodStart, Instant periodEnd, BillingInterval credit) {
        List<Instant> out = new ArrayList<>();
        for (long k = 1; ; k++) {
            Instant b = boundary(periodStart, credit, k);
            if (!b.isBefore(periodEnd)) {
                return out;
            }
            out.add(b);
        }
    }

    /** The end of the credit period containing {@code at}: the first boundary after it, or the billing period's end. */
    public static Instant endOfCreditPeriod(Instant periodStart, Instant periodEnd, BillingInterval credit, Instant at) {
        for (Instant b : boundariesInside(periodStart, periodEnd, credit)) {
            if (b.isAfter(at)) {
                return b;
            }
        }
        return periodEnd;
    }

    private static Instant boundary(Instant start, BillingInterval interval, long k) {
        var t = start.atOffset(ZoneOffset.UTC);
        return (interval == BillingInterval.MONTH ? t.plusMonths(k) : t.plusYears(k)).toInstant();
    }
}
