package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as it stands after an event: every subscription event carries the whole state, so
 * a consumer that missed nothing can rebuild it from the last event alone. Periods are half-open
 * {@code [periodStart, periodEnd)} in UTC. {@code revision} grows by one with every change.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionState(
        UUID subscriptionId,
        String accountId,
        String planCode,
        int planVersion,
        BillingInterval interval,
        Status status,
        Instant periodStart,
        Instant periodEnd,
        boolean cancelAtPeriodEnd,
        PendingChangeView pendingChange,
        CreditTerms credits,
        List<String> features,
        int seats,
        long revision) {

    public enum Status { ACTIVE, PAST_DUE, CANCELED }
}
