package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.UUID;

/** The one change waiting for the period end, if any. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PendingChangeView(UUID changeId, String planCode, int planVersion, BillingInterval interval,
                                ChangeTiming timing, Instant effectiveAt) {
}
