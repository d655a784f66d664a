package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * At a period end, {@code credits} unused subscription credits moved into a ROLLOVER lot expiring at
 * {@code expiresAt}; {@code forfeited} is what exceeded the plan's cap (also announced as credits.forfeited).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditsRolledOver(String accountId, long credits, long forfeited, long cap, Instant expiresAt, String reason,
                                long balanceAfter, Instant at) {
}
