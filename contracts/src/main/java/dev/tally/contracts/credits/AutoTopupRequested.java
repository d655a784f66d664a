package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A debit took the account's spendable balance below its auto top-up threshold: subscriptions-service
 * is asked to buy {@code packCode} off-session. {@code requestId} names the top-up everywhere: the
 * payment's idempotency key ({@code auto-topup:<requestId>}) and the purchase that grants it
 * ({@code topup.purchased} with {@code purchaseId = requestId}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AutoTopupRequested(UUID requestId, String accountId, String packCode, long credits, long amountMinor, String currency,
                                 long balance, long threshold, Instant at) {
}
