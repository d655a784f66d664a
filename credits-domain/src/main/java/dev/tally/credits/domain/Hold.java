package dev.tally.credits.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A reservation before long work (a render). Not a ledger entry: while OPEN and unexpired it lowers
 * what may be spent; it is captured (the capture is an ordinary debit at capture time, up to the
 * credits reserved), released, or expires (then it reserves nothing and can no longer be captured).
 */
public record Hold(UUID id, String accountId, long credits, HoldStatus status, long captured, String reason, Instant expiresAt) {

    public enum Refusal { CLOSED, EXPIRED, EXCEEDS_HOLD }

    public boolean openAt(Instant now) {
        return status == HoldStatus.OPEN && now.isBefore(expiresAt);
    }

    /** Why it cannot be captured or released now (in this order), if it cannot. */
    public Optional<Refusal> refusal(Instant now) {
        if (status != HoldStatus.OPEN) {
            return Optional.of(Refusal.CLOSED);
        }
        return openAt(now) ? Optional.empty() : Optional.of(Refusal.EXPIRED);
    }

    /** Why {@code amount} cannot be captured now, if it cannot. */
    public Optional<Refusal> captureRefusal(long amount, Instant now) {
        return refusal(now).or(() -> amount > credits ? Optional.of(Refusal.EXCEEDS_HOLD) : Optional.empty());
    }

    public Hold closed(HoldStatus status, long captured) {
        return new Hold(id, accountId, credits, status, captured, reason, expiresAt);
    }
}
