package dev.tally.contracts.credits;

/**
 * The kinds of credit bucket. The order they are spent in is credits-domain's SpendingOrder.KINDS, not this declaration order.
 * ROLLOVER holds subscription credits a plan rolled into the next period (docs/rules.md, Rollover).
 */
public enum CreditBucketKind { DAILY, SUBSCRIPTION, PROMO, TOPUP, ROLLOVER }
