package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a plan change was, for consumers that must carry, prorate or forfeit credits.
 * The proration fraction is {@code secondsLeft / secondsInPeriod} of the period it happened in.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanChange(String fromPlanCode, int fromPlanVersion, CreditTerms fromCredits,
                         ChangeTiming timing, ChangeDirection direction,
                         long secondsLeft, long secondsInPeriod) {
}
