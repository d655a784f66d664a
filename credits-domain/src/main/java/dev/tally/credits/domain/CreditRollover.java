package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.Rollover;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.TreeMap;

/**
 * Capped rollover of unused subscription credits (docs/rules.md, Rollover). When a period's grants
 * end (their expiry: the period end, or a credit period's end inside a yearly plan), a plan with a
 * rollover moves what is left of them, up to its cap (credits, or a percentage of the period's
 * grant), into a ROLLOVER lot of its own that expires {@link Rollover#expiresAfterDays} after that
 * instant; only what exceeds the cap is forfeited. Without a rollover everything is forfeited, as
 * before. The lot is spent right after the daily credits and before the new period's grant
 * ({@link SpendingOrder#KINDS}): it usually expires first.
 */
public final class CreditRollover {
    /** A lot's validity when a plan leaves it out (plans-service requires it; events are never without it). */
    static final Duration DEFAULT_VALIDITY = Duration.ofDays(31);

    private CreditRollover() {
    }

    /** What rolls over and what is forfeited of {@code unused} credits, under {@code cap}. */
    public record Split(long rolledOver, long forfeited, long cap) {
    }

    /** Splits {@code unused} subscription credits of a period whose grant was {@code grant}. */
    public static Split split(long unused, Rollover rollover, long grant) {
        long left = Math.max(0, unused);
        if (rollover == null) {
            return new Split(0, left, 0);
        }
        long cap = rollover.cap(Math.max(0, grant));
        long rolled = Math.min(left, cap);
        return new Split(rolled, left - rolled, cap);
    }

    /** When a lot rolled over at {@code periodEnd} expires. */
    public static Instant lotExpiry(Rollover rollover, Instant periodEnd) {
        Integer days = rollover.expiresAfterDays();
        return periodEnd.plus(days == null || days <= 0 ? DEFAULT_VALIDITY : Duration.ofDays(days));
    }

    /** The due SUBSCRIPTION credits by the instant their grants ended (each instant is one period end). */
    static Map<Instant, Long> dueByEnd(List<BucketBalance> live, Instant now) {
        Map<Instant, Long> out = new TreeMap<>();
        live.stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION && AccountLedger.due(b, now))
                .forEach(b -> out.merge(b.expiresAt(), b.remaining(), Long::sum));
        return out;
    }

    /** How many ROLLOVER lots the due expiries of these buckets create (each a new bucket, whose id is reserved first). */
    public static int lotsDue(AccountTerms terms, List<BucketBalance> live, Instant now) {
        if (terms == null || terms.rollover() == null) {
            return 0;
        }
        return (int) dueByEnd(live, now).values().stream()
                .filter(unused -> split(unused, terms.rollover(), terms.creditsPerPeriod()).rolledOver() > 0).count();
    }

    /** Rolls over (or forfeits beyond the cap) the due SUBSCRIPTION credits {@code admitted}, one lot per instant their grants ended. */
    static void rollOverDue(AccountLedger ledger, LongPredicate admitted) {
        Instant now = ledger.now();
        List<BucketBalance> due = ledger.live().stream().filter(b -> admitted.test(b.bucketId())).toList();
        for (Instant end : dueByEnd(due, now).keySet()) {
            rollOver(ledger, end, ledger.live().stream().filter(b -> b.kind() == CreditBucketKind.SUBSCRIPTION && AccountLedger.due(b, now)
                    && end.equals(b.expiresAt()) && admitted.test(b.bucketId())).sorted(SpendingOrder.ORDER).toList());
        }
    }

    /** The SUBSCRIPTION credits whose grants ended at {@code end}: the excess over the cap forfeited, the rest moved into a ROLLOVER lot. */
    private static void rollOver(AccountLedger ledger, Instant end, List<BucketBalance> ending) {
        LedgerRecord record = ledger.record();
        AccountTerms terms = ledger.terms();
        long unused = ending.stream().mapToLong(BucketBalance::remaining).sum();
        CreditRollover.Split split = CreditRollover.split(unused, terms.rollover(), terms.creditsPerPeriod());
        String reason = "credit period ended " + end;
        long toForfeit = split.forfeited();
        for (BucketBalance b : ending) {
            long forfeit = Math.min(toForfeit, b.remaining());
            if (forfeit > 0) {
                record.take(b.bucketId(), forfeit, EntryKind.FORFEIT, reason + " (beyond the rollover cap of " + split.cap() + ")",
                        "expiry:" + b.bucketId(), end);
                toForfeit -= forfeit;
            }
            if (b.remaining() - forfeit > 0) {
                record.take(b.bucketId(), b.remaining() - forfeit, EntryKind.ROLLOVER, "rolled over at " + end, "expiry:" + b.bucketId(), end);
            }
        }
        if (split.forfeited() > 0) {
            record.announce(new Announcement(Announcement.Type.FORFEITED, CreditBucketKind.SUBSCRIPTION, split.forfeited(),
                    reason + " (beyond the rollover cap of " + split.cap() + ")", null, ledger.available(), end));
        }
        if (split.rolledOver() > 0) {
            Instant expires = CreditRollover.lotExpiry(terms.rollover(), end);
            String rolled = "rolled over from the period ended " + end;
            record.grant(CreditBucketKind.ROLLOVER, split.rolledOver(), expires, rolled, "rollover:" + ending.get(0).bucketId(), end);
            record.announce(new Announcement(Announcement.Type.ROLLED_OVER, CreditBucketKind.ROLLOVER, split.rolledOver(), rolled, expires,
                    ledger.available(), end, split.forfeited(), split.cap()));
        }
    }
}
