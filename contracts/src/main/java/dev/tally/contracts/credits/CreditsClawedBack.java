package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A top-up's money went back (a refund or a dispute): {@code credits} left its lot by a CLAWBACK
 * entry now; {@code shortfall} is what the lot still owes (credits spent before the claw back, for
 * this lot, cumulative); {@code closed}: the whole lot was clawed back, it is never spent again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditsClawedBack(String accountId, long lotId, String purchaseId, String cause, long credits, long shortfall,
                                boolean closed, long balanceAfter, Instant at) {
}
