package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** An account's spendable balance fell below the configured threshold. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LowBalance(String accountId, long balance, long threshold, Instant at) {
}
