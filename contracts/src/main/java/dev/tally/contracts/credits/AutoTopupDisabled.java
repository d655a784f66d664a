package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * Auto top-up switched itself off: {@code reason} is {@code payment_failures} after
 * {@code failuresInRow} failed payments in a row (the account's {@code maxFailures}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AutoTopupDisabled(String accountId, String reason, int failuresInRow, Instant at) {
}
