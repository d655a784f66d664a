package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The account's open overage (credits debited beyond its balance on a BILL plan, not yet closed for
 * billing: the current period's) passed {@code amount} credits: once until the period's usage closes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverageAlert(String accountId, long overageCredits, long amount, String alertId, Instant at) {
}
