package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** An account asked to move to a plan that is sold by contact only (Enterprise). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SalesInquiryReceived(UUID inquiryId, String accountId, String planCode, String contactEmail,
                                   String message, Instant receivedAt) {
}
