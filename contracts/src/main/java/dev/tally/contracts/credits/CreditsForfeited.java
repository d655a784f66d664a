package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Credits left in a bucket were taken away at its end (no rollover, no refund). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditsForfeited(String accountId, CreditBucketKind bucket, long credits, String reason,
                               long balanceAfter, Instant at) {
}
