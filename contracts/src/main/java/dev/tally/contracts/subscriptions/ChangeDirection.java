package dev.tally.contracts.subscriptions;

/** Decided by plan rank, then by interval at equal rank (monthly to yearly is an upgrade). */
public enum ChangeDirection { UPGRADE, DOWNGRADE, LATERAL }
