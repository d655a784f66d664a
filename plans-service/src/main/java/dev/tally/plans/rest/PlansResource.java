package dev.tally.plans.rest;

import dev.tally.backbone.problem.Params;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.ChangePolicy;
import dev.tally.plans.repository.CreditPackRepository;
import dev.tally.plans.repository.PlanRepository;
import dev.tally.plans.service.PolicyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The public catalog a pricing page reads: no token needed. */
@Path("/")
@PermitAll
public class PlansResource {
    private final PlanRepository plans;
    private final CreditPackRepository packs;
    private final PolicyService policies;

    public PlansResource(PlanRepository plans, CreditPackRepository packs, PolicyService policies) {
        this.plans = plans;
        this.packs = packs;
        this.policies = policies;
    }

    /** The plans for sale, latest version of each, by rank. */
    @GET
    @Path("plans")
    public Uni<List<PlanSnapshot>> forSale() {
        return plans.forSale();
    }

    /** A plan's latest version, for sale or retired. */
    @GET
    @Path("plans/{code}")
    public Uni<PlanSnapshot> plan(@PathParam("code") String code) {
        return plans.latest(code).map(p -> p.orElseThrow(() -> notFound(code)));
    }

    @GET
    @Path("plans/{code}/versions")
    public Uni<List<PlanSnapshot>> versions(@PathParam("code") String code) {
        return plans.versions(code).map(v -> {
            if (v.isEmpty()) {
                throw notFound(code);
            }
            return v;
        });
    }

    /** One exact version, as its subscribers bought it. */
    @GET
    @Path("plans/{code}/versions/{version}")
    public Uni<PlanSnapshot> version(@PathParam("code") String code, @PathParam("version") int version) {
        return plans.version(code, version).map(p -> p.orElseThrow(
                () -> ProblemException.naming(404, "plan_version_not_found", "Plan " + code + " has no version " + version + ".", "version")));
    }

    @GET
    @Path("credit-packs")
    public Uni<List<CreditPackSnapshot>> creditPacks() {
        return packs.forSale();
    }

    /** What moving from one plan and interval to another means: direction, allowed timings, who may ask. */
    @APIResponse(responseCode = "200", description = "the move's direction, allowed timings, default timing and who may ask",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChangePolicy.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found (errors[] names from or to)")
    @APIResponse(responseCode = "422", description = "same_plan (errors[] names to and toInterval) or plan_not_for_sale (names to)")
    @GET
    @Path("change-policy")
    public Uni<ChangePolicy> policy(@QueryParam("from") String from, @QueryParam("fromInterval") String fromInterval,
                                    @QueryParam("to") String to, @QueryParam("toInterval") String toInterval) {
        return policies.policy(Params.required("from", from), Params.enumOf(BillingInterval.class, "fromInterval", fromInterval),
                Params.required("to", to), Params.enumOf(BillingInterval.class, "toInterval", toInterval));
    }

    private static ProblemException notFound(String code) {
        return ProblemException.naming(404, "plan_not_found", "No plan " + code + ".", "code");
    }
}
