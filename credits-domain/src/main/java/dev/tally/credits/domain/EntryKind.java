package dev.tally.credits.domain;

/** What a ledger entry did to its bucket (the ledger_entry.kind column). */
public enum EntryKind {
    /** Credits added in a new bucket (a period, a day, a top-up, a promo, a late refund, a rolled-over lot). */
    GRANT,
    /** Credits spent by a debit or a hold's capture. */
    DEBIT,
    /** Subscription credits lost at the end of their (credit) period or on a plan change. */
    FORFEIT,
    /** Credits left in a bucket at its expiry (daily, promo, a rolled-over lot). */
    EXPIRE,
    /** A debit's credits given back to the bucket they came from. */
    REVERSAL,
    /** An operator's correction. */
    ADJUSTMENT,
    /** Subscription credits moved at their period's end into the ROLLOVER lot of the next (its GRANT is the other side). */
    ROLLOVER,
    /** What a lot held when an admin voided it (LotTakeback). */
    VOID,
    /** What a lot held taken back because its payment was refunded or disputed (LotTakeback). */
    CLAWBACK
}
