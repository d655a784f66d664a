package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** A settled payment for a credit pack. credits-service grants TOPUP credits once per purchaseId. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TopupPurchased(UUID purchaseId, String accountId, String packCode, long credits,
                             long amountMinor, String currency, Instant settledAt) {
}
