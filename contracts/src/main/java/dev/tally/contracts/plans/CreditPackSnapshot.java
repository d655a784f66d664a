package dev.tally.contracts.plans;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A credit pack (top-up) that can be bought: credits for a price. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditPackSnapshot(String code, String name, long credits, long amountMinor, String currency,
                                 String stripePriceId, PlanSnapshot.PlanStatus status) {
}
