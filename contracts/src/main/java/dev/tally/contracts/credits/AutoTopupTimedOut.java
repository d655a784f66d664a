package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * The auto top-up {@code requestId}, in flight since {@code inFlightSince}, got no answer (settled or
 * failed) within credits-service's timeout: it is no longer in flight, so a later crossing may ask
 * again, and it counts as a failed payment in a row ({@code failuresInRow} now). A settlement that
 * still comes for it is granted once, as any top-up.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AutoTopupTimedOut(UUID requestId, String accountId, String packCode, long amountMinor, String currency, Instant inFlightSince,
                                int failuresInRow, Instant at) {
}
