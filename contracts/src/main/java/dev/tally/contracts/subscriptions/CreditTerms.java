package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;

/** What a plan version grants, copied into subscription events so credits-service needs no lookup. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditTerms(long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, Overage overage) {
}
