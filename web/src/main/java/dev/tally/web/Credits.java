package dev.tally.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What credits-service answers: the balance, the lots it is made of, open holds, the ledger. */
public final class Credits {
    private Credits() {
    }

    public record Balance(long available, long held, Map<String, Long> byBucket) {
    }

    public record Lot(long id, String bucket, long remaining, Instant expiresAt, Instant createdAt) {
    }

    public record OpenHold(String holdId, long credits, String reason, Instant expiresAt, Instant createdAt) {
    }

    public record Lots(List<Lot> lots, List<OpenHold> openHolds) {
    }

    public record LedgerEntry(long id, String bucket, String kind, long amount, String reason, String reference, Instant at,
                              Instant effectiveAt) {
    }

    /** A billing-scheduler timer (renewal, usage close, ...). */
    public record Timer(long id, String kind, Instant dueAt, Instant periodStart, Instant periodEnd, Instant firedAt) {
    }

    public record Clock(Instant now, boolean frozen) {
    }
}
