package dev.tally.credits.domain;

import java.time.YearMonth;
import java.util.UUID;

/**
 * An account's auto top-up: what it buys and when (below {@code threshold} spendable credits, the
 * pack {@code packCode} at {@code packPriceMinor}, at most {@code monthlyCapMinor} a calendar month,
 * UTC), and where it stands: the one top-up in flight, the month's spend (settled and in flight),
 * the failed payments in a row, and whether it is on ({@code disabledReason} says why not).
 *
 * <p>The rules (docs/rules.md, Auto top-up): a debit that takes the spendable balance from at or above
 * the threshold to below it is one crossing, and one crossing asks for one top-up, unless one is in
 * flight (then nothing) or the pack would take the month past the cap (then it is skipped, said once
 * for that crossing). A settled payment clears the one in flight and the failures; a failed one clears
 * it, gives its money back to the month and counts; {@code maxFailures} in a row switch it off.
 */
public record AutoTopup(String accountId, long threshold, String packCode, long packCredits, long packPriceMinor, String currency,
                        long monthlyCapMinor, int maxFailures, boolean enabled, String disabledReason, int failuresInRow,
                        UUID inFlight, YearMonth month, long monthSpentMinor) {
    public static final String SWITCHED_OFF = "switched_off";
    public static final String PAYMENT_FAILURES = "payment_failures";

    public enum Outcome { NONE, REQUESTED, SKIPPED_FOR_CAP }

    /** What a debit asked for, and the auto top-up after it. */
    public record Decision(Outcome outcome, AutoTopup after) {
    }

    /** A failed payment's effect: {@code switchedOff} when this one switched auto top-up off. */
    public record Failure(AutoTopup after, boolean switchedOff) {
    }

    /** Settings as asked (new, or replacing the old ones): on, no failures counted; the one in flight and the month's spend stay. */
    public static AutoTopup configure(AutoTopup old, String accountId, long threshold, String packCode, long packCredits, long packPriceMinor,
                                      String currency, long monthlyCapMinor, int maxFailures) {
        return new AutoTopup(accountId, threshold, packCode, packCredits, packPriceMinor, currency, monthlyCapMinor, maxFailures, true, null, 0,
                old == null ? null : old.inFlight, old == null ? null : old.month, old == null ? 0 : old.monthSpentMinor);
    }

    /** Whether a debit from {@code before} to {@code after} spendable credits crossed {@code threshold} downwards. */
    public static boolean crossed(long before, long after, long threshold) {
        return before >= threshold && after < threshold;
    }

    /** What the month {@code now} has spent on auto top-ups so far (a new month starts at zero). */
    public long spentIn(YearMonth now) {
        return now.equals(month) ? monthSpentMinor : 0;
    }

    /** A debit from {@code before} to {@code after} spendable credits, at {@code now}; {@code requestId} names the top-up it may ask for. */
    public Decision onDebit(long before, long after, UUID requestId, YearMonth now) {
        if (!enabled || inFlight != null || !crossed(before, after, threshold)) {
            return new Decision(Outcome.NONE, this);
        }
        long spent = spentIn(now);
        if (spent + packPriceMinor > monthlyCapMinor) {
            return new Decision(Outcome.SKIPPED_FOR_CAP, with(enabled, disabledReason, failuresInRow, null, now, spent));
        }
        return new Decision(Outcome.REQUESTED, with(enabled, disabledReason, failuresInRow, requestId, now, spent + packPriceMinor));
    }

    /** The payment of {@code requestId} settled: nothing in flight, no failures in a row. Another request's settlement changes nothing. */
    public AutoTopup settled(UUID requestId) {
        return requestId.equals(inFlight) ? with(enabled, disabledReason, 0, null, month, monthSpentMinor) : this;
    }

    /** The payment of {@code requestId} failed: counted, its money back to its month, switched off at {@code maxFailures} in a row. */
    public Failure failed(UUID requestId) {
        if (!requestId.equals(inFlight)) {
            return new Failure(this, false);
        }
        int failures = failuresInRow + 1;
        long spent = Math.max(0, monthSpentMinor - packPriceMinor);
        boolean off = enabled && failures >= maxFailures;
        return new Failure(with(enabled && !off, off ? PAYMENT_FAILURES : disabledReason, failures, null, month, spent), off);
    }

    /**
     * The top-up {@code requestId} got no answer in time (its request or its answer was lost): nothing
     * in flight any more, so a later crossing may ask again, and counted as a failure in a row (switched
     * off at {@code maxFailures}). Its money stays in the month's spend: it may still have been paid,
     * and a late settlement is granted as any top-up (once, by its purchase). Another request changes nothing.
     */
    public Failure timedOut(UUID requestId) {
        if (!requestId.equals(inFlight)) {
            return new Failure(this, false);
        }
        int failures = failuresInRow + 1;
        boolean off = enabled && failures >= maxFailures;
        return new Failure(with(enabled && !off, off ? PAYMENT_FAILURES : disabledReason, failures, null, month, monthSpentMinor), off);
    }

    /** Switched off by the account or support: nothing more is asked; a top-up in flight still settles. */
    public AutoTopup switchedOff() {
        return with(false, enabled ? SWITCHED_OFF : disabledReason, failuresInRow, inFlight, month, monthSpentMinor);
    }

    private AutoTopup with(boolean on, String reason, int failures, UUID flight, YearMonth m, long spent) {
        return new AutoTopup(accountId, threshold, packCode, packCredits, packPriceMinor, currency, monthlyCapMinor, maxFailures,
                on, reason, failures, flight, m, spent);
    }
}
