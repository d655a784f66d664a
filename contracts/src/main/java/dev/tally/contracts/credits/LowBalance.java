package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * An account's spendable balance fell below one of its balance alerts' thresholds ({@code threshold}
 * credits, as that alert works it out now): once per crossing. {@code alertId} names the alert
 * ({@code default} for the default threshold of an account that set none), {@code alertKind} is
 * CREDITS, PERCENT_OF_GRANT or DEFAULT.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LowBalance(String accountId, long balance, long threshold, Instant at, String alertId, String alertKind) {

    public LowBalance(String accountId, long balance, long threshold, Instant at) {
        this(accountId, balance, threshold, at, "default", "DEFAULT");
    }
}
