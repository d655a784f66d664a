package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A period's overage, closed and handed to billing. {@code amountMinor} is already computed from the
 * plan's block price; usage recorded after the close belongs to the next period.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageClosed(UUID subscriptionId, String accountId, Instant periodStart, Instant periodEnd,
                          long spentCredits, long overageCredits, long amountMinor, String currency,
                          Instant closedAt) {
}
