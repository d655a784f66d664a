package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the charge lines of a change or a period start; zero lines are left out, so free plans bill nothing. */
final class Charges {
    private Charges() {
    }

    static List<ChargeLine> forChange(ChangeTiming timing, PlanTerms from, BillingInterval fromInterval, PlanTerms to,
                                      BillingInterval toInterval, BillingPeriod current, BillingPeriod newPeriod, Instant now,
                                      ProrationQuote q) {
        List<ChargeLine> lines = new ArrayList<>();
        if (timing == ChangeTiming.END_OF_PERIOD) {
            return lines;
        }
        BillingPeriod rest = rest(current, now); // null only when nothing is left, and then the prorated amounts are zero
        if (rest != null) {
            add(lines, ChargeLine.Kind.UNUSED_TIME_CREDIT, "Unused time on " + name(from, fromInterval), rest,
                    q.creditForUnused().negate());
        }
        if (timing == ChangeTiming.IMMEDIATE) {
            add(lines, ChargeLine.Kind.NEW_PERIOD, name(to, toInterval), newPeriod, q.charge());
        } else if (rest != null) {
            add(lines, ChargeLine.Kind.REMAINING_TIME, "Remaining time on " + name(to, toInterval), rest, q.charge());
        }
        return lines;
    }

    /** The line of a period that starts by renewal or by a scheduled change or revert. */
    static List<ChargeLine> forPeriod(ChargeLine.Kind kind, PlanTerms plan, BillingInterval interval, BillingPeriod period,
                                      Money price) {
        List<ChargeLine> lines = new ArrayList<>();
        String what = kind == ChargeLine.Kind.RENEWAL ? name(plan, interval) + " renewal" : name(plan, interval);
        add(lines, kind, what, period, price);
        return lines;
    }

    static String name(PlanTerms plan, BillingInterval interval) {
        return plan.code() + " v" + plan.version() + " (" + interval.name().toLowerCase(java.util.Locale.ROOT) + "ly)";
    }

    /** What is left of the period from now; null when nothing is (a change after the period's end). */
    private static BillingPeriod rest(BillingPeriod period, Instant now) {
        Instant start = now.isAfter(period.start()) ? now : period.start();
        return period.end().isAfter(start) ? new BillingPeriod(start, period.end()) : null;
    }

    private static void add(List<ChargeLine> lines, ChargeLine.Kind kind, String description, BillingPeriod period, Money amount) {
        if (!amount.isZero()) {
            lines.add(new ChargeLine(kind, description, period, amount));
        }
    }
}
