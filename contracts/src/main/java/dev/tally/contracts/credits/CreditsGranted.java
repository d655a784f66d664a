package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Credits were added to a bucket, and why. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditsGranted(String accountId, CreditBucketKind bucket, long credits, String reason,
                             Instant expiresAt, long balanceAfter, Instant at) {
}
