package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A crossing of the threshold that bought nothing: {@code reason} is {@code monthly_cap} when the pack
 * would take the month's auto top-up spend ({@code spentMinor}, settled and in flight) past {@code capMinor}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AutoTopupSkipped(String accountId, String packCode, String reason, long amountMinor, long spentMinor, long capMinor,
                               String currency, long balance, long threshold, Instant at) {
}
