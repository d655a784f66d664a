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
}
