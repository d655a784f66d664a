package dev.tally.contracts.credits;

/** The kinds of credit bucket. The order they are spent in is credits-domain's SpendingOrder.KINDS, not this declaration order. */
public enum CreditBucketKind { DAILY, SUBSCRIPTION, PROMO, TOPUP }
