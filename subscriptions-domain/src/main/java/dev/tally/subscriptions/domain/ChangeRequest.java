package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.util.Objects;

/**
 * Everything a plan change is decided on, gathered by the service beforehand so the rules stay pure.
 *
 * @param from                the plan version in force (must be the subscription's)
 * @param to                  the target plan version
 * @param timing              the timing asked for, or null for the policy's default
 * @param policy              the catalog's policy for this move
 * @param asAdmin             support (an admin) makes it for the account: may leave or enter non-self-serve plans and use any timing
 * @param paymentMethodOnFile the account can be charged without a payment step
 */
public record ChangeRequest(PlanTerms from, PlanTerms to, BillingInterval toInterval, ChangeTiming timing,
                            ChangePolicy policy, boolean asAdmin, boolean paymentMethodOnFile) {

    public ChangeRequest {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(toInterval, "toInterval");
        Objects.requireNonNull(policy, "policy");
    }

    /** An account's own self-serve request. */
    public static ChangeRequest of(PlanTerms from, PlanTerms to, BillingInterval toInterval, ChangeTiming timing,
                                   ChangePolicy policy, boolean paymentMethodOnFile) {
        return new ChangeRequest(from, to, toInterval, timing, policy, false, paymentMethodOnFile);
    }
}
