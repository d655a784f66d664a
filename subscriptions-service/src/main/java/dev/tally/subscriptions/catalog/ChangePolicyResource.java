package dev.tally.subscriptions.catalog;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.problem.Params;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.ChangePolicy;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The change policy as this service applies it, from its catalog read model: the same question and
 * answer as plans-service's {@code GET /change-policy} (the plans' latest versions, the same table and
 * overrides, the same problems), so the two can be compared; plan changes resolve it the same way.
 */
@Path("/catalog/change-policy")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class ChangePolicyResource {
    private final Catalog catalog;
    private final ChangePolicies policies;

    public ChangePolicyResource(Catalog catalog, ChangePolicies policies) {
        this.catalog = catalog;
        this.policies = policies;
    }

    @APIResponse(responseCode = "200", description = "the move's direction, allowed timings, default timing and who may ask",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChangePolicy.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found (errors[] names from or to)")
    @APIResponse(responseCode = "422", description = "same_plan (errors[] names to and toInterval) or plan_not_for_sale (names to)")
    @GET
    public Uni<ChangePolicy> policy(@QueryParam("from") String from, @QueryParam("fromInterval") String fromInterval,
                                    @QueryParam("to") String to, @QueryParam("toInterval") String toInterval) {
        String fromCode = Params.required("from", from);
        BillingInterval fromEvery = Params.enumOf(BillingInterval.class, "fromInterval", fromInterval);
        String toCode = Params.required("to", to);
        BillingInterval toEvery = Params.enumOf(BillingInterval.class, "toInterval", toInterval);
        return catalog.latest(fromCode).flatMap(a -> catalog.latest(toCode).flatMap(b -> {
            PlanSnapshot current = a.orElseThrow(() -> ProblemException.naming(404, "plan_not_found", "No plan " + fromCode + ".", "from"));
            PlanSnapshot target = b.orElseThrow(() -> ProblemException.naming(404, "plan_not_found", "No plan " + toCode + ".", "to"));
            if (target.status() == PlanSnapshot.PlanStatus.RETIRED) {
                throw ProblemException.naming(422, "plan_not_for_sale", "Plan " + toCode + " is no longer sold.", "to");
            }
            if (current.code().equals(target.code()) && fromEvery == toEvery) {
                throw ProblemException.naming(422, "same_plan", "That is the plan and interval already in force.", "to", "toInterval");
            }
            return policies.policy(current, fromEvery, target, toEvery);
        }));
    }
}
