package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;

/** What is left in one bucket of an account, and when (if ever) it expires. */
public record BucketBalance(long bucketId, CreditBucketKind kind, long remaining, Instant expiresAt) {

    public boolean spendableAt(Instant now) {
        return remaining > 0 && (expiresAt == null || now.isBefore(expiresAt));
    }
}
