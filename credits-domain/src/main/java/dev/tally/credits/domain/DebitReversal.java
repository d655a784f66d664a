package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a debit can be reversed, and what of it: a debit is reversed once (any entry carrying the
 * reversal's reference, or a REVERSAL entry of the debit, means it was); its parts are its DEBIT
 * entries, one per bucket it took from. {@link AccountLedger#reverse} gives them back.
 */
public final class DebitReversal {
    /** How long credits that come back as PROMO (their bucket expired) stay spendable. */
    public static final Duration LATE_REFUND_VALIDITY = Duration.ofDays(30);

    private DebitReversal() {
    }

    /** An entry carrying the debit's or its reversal's reference, with its bucket's expiry. */
    public record PastEntry(long bucketId, CreditBucketKind bucket, EntryKind kind, long amount, String reference, Instant bucketExpiresAt) {
    }

    /** A part of a debit: the credits it took from one bucket. */
    public record Part(long bucketId, CreditBucketKind bucket, long credits, Instant expiresAt) {
    }

    public enum Verdict { REVERSE, ALREADY_REVERSED, NOT_FOUND }

    public record Plan(Verdict verdict, List<Part> parts) {
    }

    public static String reference(String debitId) {
        return "reversal:" + debitId;
    }

    public static Plan plan(String debitId, List<PastEntry> entries) {
        String reversal = reference(debitId);
        List<Part> parts = new ArrayList<>();
        for (PastEntry e : entries) {
            if (e.kind() == EntryKind.REVERSAL || reversal.equals(e.reference())) {
                return new Plan(Verdict.ALREADY_REVERSED, List.of());
            }
            if (e.kind() == EntryKind.DEBIT) {
                parts.add(new Part(e.bucketId(), e.bucket(), -e.amount(), e.bucketExpiresAt()));
            }
        }
        return new Plan(parts.isEmpty() ? Verdict.NOT_FOUND : Verdict.REVERSE, List.copyOf(parts));
    }

    /**
     * Gives a debit's parts back through the account's ledger: each to the bucket it came from while
     * that bucket has not expired; a part whose bucket expired meanwhile comes back as PROMO credits
     * valid {@link #LATE_REFUND_VALIDITY} (refunding into an expired bucket would give nothing; into
     * TOPUP would make them last forever). The credits given back.
     */
    static long giveBack(AccountLedger ledger, List<Part> parts, String reason, String reference) {
        long total = 0;
        for (Part p : parts) {
            total += p.credits();
            if (p.expiresAt() == null || ledger.now().isBefore(p.expiresAt())) {
                ledger.record().refill(p.bucketId(), p.bucket(), p.expiresAt(), p.credits(), reason, reference);
            } else {
                ledger.record().grant(CreditBucketKind.PROMO, p.credits(), ledger.now().plus(LATE_REFUND_VALIDITY),
                        reason + " (its bucket had expired)", reference);
            }
        }
        return total;
    }
}
