package dev.tally.plans.service;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.ChangePolicy;
import dev.tally.plans.domain.ChangePolicyTable;
import dev.tally.plans.domain.PolicyOverride;
import dev.tally.plans.repository.PlanRepository;
import dev.tally.plans.repository.PolicyOverrideRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Answers "may this account move from plan A to plan B, and when?" from the policy table and its overrides. */
@ApplicationScoped
public class PolicyService {
    private final PlanRepository plans;
    private final PolicyOverrideRepository overrides;

    public PolicyService(PlanRepository plans, PolicyOverrideRepository overrides) {
        this.plans = plans;
        this.overrides = overrides;
    }

    public Uni<ChangePolicy> policy(String fromCode, BillingInterval fromInterval, String toCode, BillingInterval toInterval) {
        return plans.latest(fromCode).flatMap(from -> plans.latest(toCode).flatMap(to -> overrides.all().map(all -> {
            PlanSnapshot a = from.orElseThrow(() -> ProblemException.naming(404, "plan_not_found", "No plan " + fromCode + ".", "from"));
            PlanSnapshot b = to.orElseThrow(() -> ProblemException.naming(404, "plan_not_found", "No plan " + toCode + ".", "to"));
            if (b.status() == PlanSnapshot.PlanStatus.RETIRED) {
                throw ProblemException.naming(422, "plan_not_for_sale", "Plan " + toCode + " is no longer sold.", "to");
            }
            try {
                return ChangePolicyTable.resolve(a, fromInterval, b, toInterval, all);
            } catch (IllegalArgumentException samePlan) {
                throw ProblemException.naming(422, "same_plan", "That is the plan and interval already in force.", "to", "toInterval");
            }
        })));
    }

    public Uni<List<PolicyOverride>> overrides() {
        return overrides.all();
    }

    public Uni<PolicyOverride> putOverride(PolicyOverride override) {
        var problems = override.problems();
        if (!problems.isEmpty()) {
            throw CatalogService.invalid(problems);
        }
        return overrides.put(override).replaceWith(override);
    }
}
