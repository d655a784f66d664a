package dev.tally.contracts.plans;

/**
 * When a plan's fee is charged. IN_ADVANCE (the default): when a period starts, and a change
 * charges its proration at once. IN_ARREARS (Kong's way): nothing at sign-up or on a change; the
 * period's fee, prorated by the second over every plan in force during it, and its usage are
 * computed at the usage close and collected on the billing date.
 */
public enum BillingMode {
    IN_ADVANCE, IN_ARREARS;

    /** A snapshot or state written before billing modes existed bills in advance. */
    public static BillingMode orDefault(BillingMode mode) {
        return mode == null ? IN_ADVANCE : mode;
    }
}
