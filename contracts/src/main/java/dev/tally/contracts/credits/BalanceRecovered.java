package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The spendable balance is back at or above a threshold it had fallen below (a grant, a top-up, a
 * renewal, a reversal): once per recovery. The fields are those of {@link LowBalance}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BalanceRecovered(String accountId, long balance, long threshold, Instant at, String alertId, String alertKind) {
}
