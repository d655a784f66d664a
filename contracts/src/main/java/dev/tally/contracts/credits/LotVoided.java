package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * An admin voided a lot: its {@code credits} left remaining left the balance by a VOID entry, and
 * the lot is never spent (nor refilled by a reversal) again. Announced once per lot.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LotVoided(String accountId, long lotId, CreditBucketKind bucket, long credits, String reason, String actedBy,
                        long balanceAfter, Instant at) {
}
