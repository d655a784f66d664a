package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a plan change was, for consumers that must carry, prorate or forfeit credits.
 * The proration fraction is {@code secondsLeft / secondsInPeriod} of the period it happened in.
 * {@code actedBy} and {@code reason} are set when support (an admin token) made the change for the
 * account: the admin's subject and the reason given; null otherwise, and in events written before
 * they existed (consumers ignore what they do not know, so older ones read these events unchanged).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanChange(String fromPlanCode, int fromPlanVersion, CreditTerms fromCredits,
                         ChangeTiming timing, ChangeDirection direction,
                         long secondsLeft, long secondsInPeriod,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String actedBy,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {

    /** A change the account (or the product's backend) made itself. */
    public PlanChange(String fromPlanCode, int fromPlanVersion, CreditTerms fromCredits, ChangeTiming timing, ChangeDirection direction,
                      long secondsLeft, long secondsInPeriod) {
        this(fromPlanCode, fromPlanVersion, fromCredits, timing, direction, secondsLeft, secondsInPeriod, null, null);
    }
}
