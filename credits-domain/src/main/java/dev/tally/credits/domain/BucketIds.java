package dev.tally.credits.domain;

/** Where a ledger gets the id of a bucket it creates (the service reserves them from the database). */
@FunctionalInterface
public interface BucketIds {
    long next();

    /** For a ledger that creates no bucket. */
    BucketIds NONE = () -> {
        throw new IllegalStateException("no bucket ids were reserved for this change");
    };
}
