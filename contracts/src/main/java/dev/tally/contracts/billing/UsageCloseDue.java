package dev.tally.contracts.billing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The scheduler's command to close a period's usage a lead time before its billing date. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageCloseDue(UUID subscriptionId, String accountId, Instant periodStart, Instant periodEnd,
                            Instant closeAt) {
}
