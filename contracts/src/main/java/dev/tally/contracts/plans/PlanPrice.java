package dev.tally.contracts.plans;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A plan's price for one billing interval, in minor units of an ISO 4217 currency. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanPrice(BillingInterval interval, long amountMinor, String currency, String stripePriceId) {
}
