package dev.tally.credits.domain;

import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What an account may use now (docs/rules.md, Entitlements): each feature of its plan is allowed,
 * any other is not; {@code credits} is metered (allowed while the spendable credits cover the
 * quantity asked, always on a plan that bills overage), {@code seats} is a limit (allowed while the
 * quantity asked is within the plan's seats). An answer holds until {@link #validUntil}: the next
 * instant the plan can change by itself (the period end, where a renewal, a scheduled change or a
 * cancellation takes effect); a change made now is announced by {@code entitlements.changed}.
 */
public final class Entitlements {
    public static final String CREDITS = "credits";
    public static final String SEATS = "seats";

    private Entitlements() {
    }

    /** The plan side of an account's entitlements, as its latest applied subscription event set them. */
    public record Grant(String planCode, int planVersion, List<String> features, int seats, Instant periodStart, Instant periodEnd,
                        String pendingPlanCode, Instant pendingEffectiveAt, boolean cancelAtPeriodEnd) {
        public Grant {
            Objects.requireNonNull(planCode, "planCode");
            features = List.copyOf(features);
        }

        /** Whether {@code other} gives the account something else: another plan or version, other features or seats. */
        public boolean differsFrom(Grant other) {
            return other == null || !planCode.equals(other.planCode) || planVersion != other.planVersion || seats != other.seats
                    || !new TreeSet<>(features).equals(new TreeSet<>(other.features));
        }
    }

    /**
     * The credits side: {@code remaining} spendable now (holds taken off), {@code used} spent since the
     * credits were last granted (null when not counted), when they are next granted ({@code resetsAt}).
     */
    public record Credits(long remaining, Long used, Overage.Mode overage, Instant resetsAt) {
    }

    /**
     * One feature's answer. {@code limit}/{@code used}/{@code remaining} are set for metered features
     * (credits: limit = used + remaining; seats: the plan's seats, used and remaining not known to Tally).
     */
    public record Check(String feature, boolean allowed, String reason, boolean metered, Long limit, Long used, Long remaining,
                        Instant resetsAt, Instant validUntil) {
    }

    /** One feature, for {@code quantity} units (1 for a plain feature). */
    public static Check check(Grant grant, Credits credits, String feature, long quantity, Instant now) {
        Instant valid = validUntil(grant, now);
        if (CREDITS.equals(feature)) {
            boolean covered = credits.remaining() >= quantity;
            boolean allowed = covered || credits.overage() == Overage.Mode.BILL;
            String reason = covered ? "within_credits" : allowed ? "overage_billed" : "insufficient_credits";
            Long limit = credits.used() == null ? null : credits.used() + credits.remaining();
            Instant until = credits.resetsAt() != null && credits.resetsAt().isBefore(valid) ? credits.resetsAt() : valid;
            return new Check(feature, allowed, reason, true, limit, credits.used(), credits.remaining(), credits.resetsAt(), until);
        }
        if (SEATS.equals(feature)) {
            boolean allowed = quantity <= grant.seats();
            return new Check(feature, allowed, allowed ? "within_seats" : "over_seat_limit", true, (long) grant.seats(), null, null,
                    null, valid);
        }
        boolean allowed = grant.features().contains(feature);
        return new Check(feature, allowed, allowed ? "in_plan" : "not_in_plan", false, null, null, null, null, valid);
    }

    /** Every feature the catalog sells (and the plan's own), allowed or not, then the metered ones. */
    public static List<Check> all(Grant grant, Credits credits, List<String> catalogFeatures, Instant now) {
        TreeSet<String> names = new TreeSet<>(catalogFeatures);
        names.addAll(grant.features());
        names.remove(CREDITS);
        names.remove(SEATS);
        List<Check> out = new ArrayList<>();
        names.forEach(f -> out.add(check(grant, credits, f, 1, now)));
        out.add(check(grant, credits, CREDITS, 1, now));
        out.add(check(grant, credits, SEATS, 1, now));
        return out;
    }

    /** The next instant the plan changes by itself: its period end (a pending change's or a cancellation's effective instant). */
    public static Instant validUntil(Grant grant, Instant now) {
        Instant until = grant.periodEnd();
        if (grant.pendingEffectiveAt() != null && grant.pendingEffectiveAt().isBefore(until)) {
            until = grant.pendingEffectiveAt();
        }
        return until.isAfter(now) ? until : now;
    }

    /**
     * When credits are next granted: the end of the credit period (a yearly plan granting monthly:
     * the next month boundary), or with only daily credits the next UTC midnight; null when the plan grants none.
     */
    public static Instant resetsAt(SubscriptionPeriod period, long dailyCredits, Instant now) {
        if (period != null && period.creditsPerPeriod() > 0) {
            return CreditPeriods.endOfCreditPeriod(period.periodStart(), period.periodEnd(), period.creditPeriod(), now);
        }
        return dailyCredits > 0 ? LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC) : null;
    }

    /** Where the window {@code used} counts from: the start of the credit period (or of the UTC day) that {@link #resetsAt} ends. */
    public static Instant countedSince(SubscriptionPeriod period, long dailyCredits, Instant now) {
        if (period != null && period.creditsPerPeriod() > 0) {
            Instant start = period.periodStart();
            for (Instant b : CreditPeriods.boundariesInside(period.periodStart(), period.periodEnd(), period.creditPeriod())) {
                if (!b.isAfter(now)) {
                    start = b;
                }
            }
            return start;
        }
        return dailyCredits > 0 ? LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC)
                : period == null ? null : period.periodStart();
    }

    /** Today's daily credits not granted yet count as spendable: the first touch of the day grants them (AccountLedger). */
    public static long spendable(long liveCredits, long dailyBucket, LocalDate dailyDay, long dailyCredits, long held, Instant now) {
        boolean newDay = !LocalDate.ofInstant(now, ZoneOffset.UTC).equals(dailyDay) && !(dailyCredits == 0 && dailyDay == null);
        long daily = newDay ? dailyCredits : dailyBucket;
        return Math.max(0, liveCredits + daily - held);
    }
}
