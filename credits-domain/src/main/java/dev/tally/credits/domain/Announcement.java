package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;

/**
 * What the ledger tells the world about a change (credits.granted or credits.forfeited), with the
 * spendable balance it leaves. {@code at}: when it happened (an expiry: the bucket's expiry).
 */
public record Announcement(Type type, CreditBucketKind bucket, long credits, String reason, Instant expiresAt, long balance, Instant at) {

    public enum Type { GRANTED, FORFEITED }
}
