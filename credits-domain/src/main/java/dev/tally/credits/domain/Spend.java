package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.util.List;

/**
 * How a debit is paid: what it takes from each bucket, in spending order, and what it could not
 * cover. On a BILL plan the uncovered part is overage usage; on a BLOCK plan a debit with any
 * uncovered part is refused whole.
 */
public record Spend(List<Take> takes, long overage, boolean refused) {

    /** Credits taken from one bucket. */
    public record Take(long bucketId, CreditBucketKind kind, long amount) {
    }

    public long covered() {
        return takes.stream().mapToLong(Take::amount).sum();
    }
}
