package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Expiry (docs/rules.md, Credits): a bucket past its expiry with credits left is spendable no more
 * and is emptied by one entry dated at its expiry, through its {@link AccountLedger}.
 */
final class CreditExpiry {
    private CreditExpiry() {
    }

    /** Past its expiry with credits left: spendable no more, and due its entry. */
    static boolean due(BucketBalance bucket, Instant now) {
        return bucket.remaining() > 0 && bucket.expiresAt() != null && !now.isBefore(bucket.expiresAt());
    }

    /**
     * Empties every due bucket ({@code admitted} ones) with one entry dated at its expiry: EXPIRE,
     * but FORFEIT for SUBSCRIPTION credits (they end with their credit period). Announced as a
     * forfeit, except daily credits (their resets are not announced either). On a plan with a
     * rollover the SUBSCRIPTION credits ending at one instant roll over instead, up to the cap
     * ({@link CreditRollover}). Done before anything else reads the buckets.
     */
    static void expireDue(AccountLedger ledger, LongPredicate admitted) {
        LedgerRecord record = ledger.record();
        boolean rollover = ledger.terms().rollover() != null;
        for (BucketBalance b : List.copyOf(ledger.live())) {
            if (!due(b, ledger.now()) || !admitted.test(b.bucketId())) {
                continue;
            }
            boolean subscription = b.kind() == CreditBucketKind.SUBSCRIPTION;
            if (subscription && rollover) {
                continue; // rolled over below, by the instant their period ended
            }
            String reason = (subscription ? "credit period ended " : "expired ") + b.expiresAt();
            record.take(b.bucketId(), b.remaining(), subscription ? EntryKind.FORFEIT : EntryKind.EXPIRE, reason, "expiry:" + b.bucketId(),
                    b.expiresAt());
            if (b.kind() != CreditBucketKind.DAILY) {
                record.announce(new Announcement(Announcement.Type.FORFEITED, b.kind(), b.remaining(), reason, null, ledger.available(),
                        b.expiresAt()));
            }
        }
        if (rollover) {
            CreditRollover.rollOverDue(ledger, admitted);
        }
    }
}
