package dev.tally.contracts.billing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * The scheduler's command that a subscription's period {@code [periodStart, periodEnd)} is over.
 * It names the period, so the owner applies it once: a repeat or a late command is a no-op.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PeriodEnded(UUID subscriptionId, String accountId, Instant periodStart, Instant periodEnd) {
}
