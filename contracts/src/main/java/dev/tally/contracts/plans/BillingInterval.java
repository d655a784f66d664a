package dev.tally.contracts.plans;

/** How often a plan bills, or how often it grants credits. */
public enum BillingInterval { MONTH, YEAR }
