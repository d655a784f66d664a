package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;

/**
 * What the ledger tells the world about a change (credits.granted, credits.forfeited or
 * credits.rolled-over), with the spendable balance it leaves. {@code at}: when it happened (an expiry:
 * the bucket's expiry). A rollover also says what exceeded the cap ({@code forfeited}) and the cap.
 */
public record Announcement(Type type, CreditBucketKind bucket, long credits, String reason, Instant expiresAt, long balance, Instant at,
                           long forfeited, long cap) {

    public Announcement(Type type, CreditBucketKind bucket, long credits, String reason, Instant expiresAt, long balance, Instant at) {
        this(type, bucket, credits, reason, expiresAt, balance, at, 0, 0);
    }

    public enum Type { GRANTED, FORFEITED, ROLLED_OVER }
}
