package dev.tally.contracts.credits;

/** Listed in spending order: a debit takes from DAILY first and TOPUP last. */
public enum CreditBucketKind { DAILY, SUBSCRIPTION, PROMO, TOPUP }
