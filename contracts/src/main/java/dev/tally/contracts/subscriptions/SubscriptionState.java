package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.BillingMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as it stands after an event: every subscription event carries the whole state, so
 * a consumer that missed nothing can rebuild it from the last event alone. Periods are half-open
 * {@code [periodStart, periodEnd)} in UTC. {@code revision} grows by one with every change.
 * {@code billingMode} is the plan version's (IN_ADVANCE in events written before modes existed):
 * in arrears the scheduler sets a usage close for the period whatever the overage mode.
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
        long revision,
        BillingMode billingMode) {

    @JsonCreator
    public SubscriptionState {
        billingMode = BillingMode.orDefault(billingMode);
    }

    /** A subscription on a plan billed in advance. */
    public SubscriptionState(UUID subscriptionId, String accountId, String planCode, int planVersion, BillingInterval interval,
                             Status status, Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd,
                             PendingChangeView pendingChange, CreditTerms credits, List<String> features, int seats, long revision) {
        this(subscriptionId, accountId, planCode, planVersion, interval, status, periodStart, periodEnd, cancelAtPeriodEnd, pendingChange,
                credits, features, seats, revision, BillingMode.IN_ADVANCE);
    }

    public enum Status { ACTIVE, PAST_DUE, CANCELED }
}
