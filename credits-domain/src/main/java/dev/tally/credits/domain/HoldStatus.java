package dev.tally.credits.domain;

/** Where a hold stands (the credit_hold.status column). */
public enum HoldStatus { OPEN, CAPTURED, RELEASED }
