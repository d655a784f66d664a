package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.Rollover;

/**
 * What a plan version grants, copied into subscription events so credits-service needs no lookup;
 * {@code rollover} is the plan's (null: nothing rolls over, absent in events written before it existed).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditTerms(long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, Overage overage, Rollover rollover) {

    /** Terms without rollover. */
    public CreditTerms(long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, Overage overage) {
        this(creditsPerPeriod, creditPeriod, dailyCredits, overage, null);
    }
}
