package dev.tally.contracts.credits;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.contracts.subscriptions.CreditTerms;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an account may use changed: a plan change, a scheduled change, a cancellation or a revert to
 * the free plan took effect (a renewal on the same plan version announces nothing). Published by
 * credits-service in the transaction that updates the projection its entitlement check reads, so
 * once a consumer has this event the check answers the new entitlements. {@code cause} is the
 * subscription event that made the change ({@code subscription.plan-changed},
 * {@code subscription.reverted-to-free}, ...), {@code effectiveAt} when it took effect; the
 * {@code previous*} fields are null for the account's first plan. {@code validUntil}: the next
 * period end, when the plan may change again by itself.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntitlementsChanged(String accountId, UUID subscriptionId, long revision, String cause, Instant effectiveAt,
                                  String planCode, int planVersion, List<String> features, int seats, CreditTerms credits,
                                  String previousPlanCode, Integer previousPlanVersion, List<String> previousFeatures,
                                  Integer previousSeats, Instant validUntil) {
}
