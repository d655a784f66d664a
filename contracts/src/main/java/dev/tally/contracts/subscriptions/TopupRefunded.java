package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * Money of a top-up purchase went back to the buyer: a refund (made through Tally or in Stripe) or a
 * dispute. {@code takenBackMinor} is cumulative (every refund and dispute of the purchase so far,
 * at most {@code amountMinor}), so a repeat or an echo carries the same figure and changes nothing;
 * credits-service claws back the purchase's lot in proportion (docs/rules.md, Lots).
 *
 * @param cause     REFUND or DISPUTE: what moved the money this time
 * @param reference the gateway's reference of this refund or dispute ({@code local_refund_...}, {@code re_...}, {@code dp_...})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TopupRefunded(UUID purchaseId, String accountId, String packCode, long credits, long amountMinor, String currency,
                            long takenBackMinor, String cause, String reference, String reason, String actedBy, Instant at) {
}
