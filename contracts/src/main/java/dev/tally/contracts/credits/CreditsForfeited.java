package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Credits left in a bucket were taken away at its end (no refund; on a plan with a rollover: what exceeded its cap). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditsForfeited(String accountId, CreditBucketKind bucket, long credits, String reason,
                               long balanceAfter, Instant at) {
}
