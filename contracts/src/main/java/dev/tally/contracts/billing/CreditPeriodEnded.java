package dev.tally.contracts.billing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * The scheduler's command that a credit period inside the billing period {@code [periodStart,
 * periodEnd)} ended at {@code creditPeriodEnd} (a yearly plan granting credits monthly). credits-service
 * forfeits what is left of the ended month's grant and grants the next month's, once; a command for
 * a billing period that is no longer the subscription's is a no-op.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditPeriodEnded(UUID subscriptionId, String accountId, Instant periodStart, Instant periodEnd,
                                Instant creditPeriodEnd) {
}
