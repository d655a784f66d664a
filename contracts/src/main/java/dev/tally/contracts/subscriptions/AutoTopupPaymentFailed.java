package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * The payment of an auto top-up failed: nothing was charged and nothing is granted. {@code code} is the
 * gateway's (such as {@code card_declined}, {@code payment_method_required}, {@code payment_unanswered}
 * when it never answered within {@code tally.auto-topup.give-up-after}). credits-service counts it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AutoTopupPaymentFailed(UUID requestId, String accountId, String packCode, long amountMinor, String currency, String code,
                                     String detail, Instant at) {
}
