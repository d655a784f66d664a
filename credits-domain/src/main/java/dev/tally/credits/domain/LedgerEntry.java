package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;

/**
 * One change of one bucket's balance: positive adds, negative takes. {@code reference} names what
 * caused it ("" when nothing does); {@code effectiveAt} is when it took effect if not when it is
 * written (an expiry, at its bucket's expiry), else null.
 */
public record LedgerEntry(long bucketId, CreditBucketKind bucket, EntryKind kind, long amount, String reason, String reference,
                          Instant effectiveAt) {
}
