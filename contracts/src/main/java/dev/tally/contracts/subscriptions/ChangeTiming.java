package dev.tally.contracts.subscriptions;

/**
 * When a plan change takes effect. IMMEDIATE starts a new cycle now (with allocation of credits);
 * END_OF_PERIOD waits for the current period's end; IMMEDIATE_PRORATED changes now, keeps the
 * billing date and prorates both sides.
 */
public enum ChangeTiming { IMMEDIATE, END_OF_PERIOD, IMMEDIATE_PRORATED }
