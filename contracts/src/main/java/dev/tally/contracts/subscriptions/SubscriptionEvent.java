package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The payload of every {@code subscription.*} event: the state after it, and the change if it was one. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionEvent(SubscriptionState subscription, PlanChange change) {
}
