package dev.tally.plans.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.CreditPackDraft;
import dev.tally.plans.domain.PlanDraft;
import dev.tally.plans.domain.PolicyOverride;
import dev.tally.plans.repository.PlanRepository.PlanRow;
import dev.tally.plans.service.CatalogService;
import dev.tally.plans.service.PolicyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Catalog changes, for admins. Every POST accepts an Idempotency-Key. */
@Path("/admin")
@RolesAllowed(Roles.ADMIN)
public class CatalogAdminResource {
    private static final String SCOPE = "admin";
    private final CatalogService catalog;
    private final PolicyService policies;
    private final IdempotentRequests idempotency;

    public CatalogAdminResource(CatalogService catalog, PolicyService policies, IdempotentRequests idempotency) {
        this.catalog = catalog;
        this.policies = policies;
        this.idempotency = idempotency;
    }

    @APIResponse(responseCode = "201", description = "the plan, created with its first draft",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = PlanRow.class)))
    @APIResponse(responseCode = "409", description = "plan_exists: the code is taken")
    @POST
    @Path("plans")
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String key, @NotNull PlanDraft draft) {
        return idempotency.run(Tx.Kind.SESSION, SCOPE, key, List.of("create plan", draft),
                tx -> catalog.createPlan(tx, draft).map(Answer::created)).map(r -> r.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the plan with its saved draft",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = PlanRow.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found (errors[] names code)")
    @PUT
    @Path("plans/{code}/draft")
    public Uni<Response> saveDraft(@PathParam("code") String code, @NotNull PlanDraft draft) {
        return idempotency.run(Tx.Kind.SESSION, SCOPE, null, draft, tx -> catalog.saveDraft(tx, code, draft).map(Answer::ok)).map(r -> r.toResponse());
    }

    @APIResponse(responseCode = "201", description = "the version published from the draft",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = PlanSnapshot.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found")
    @APIResponse(responseCode = "409", description = "no_draft: nothing to publish")
    @POST
    @Path("plans/{code}/publish")
    public Uni<Response> publish(@HeaderParam("Idempotency-Key") String key, @PathParam("code") String code) {
        return idempotency.run(Tx.Kind.SESSION, SCOPE, key, List.of("publish", code),
                tx -> catalog.publish(tx, code).map(Answer::created)).map(r -> r.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the plan, no longer for sale",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = PlanSnapshot.class)))
    @APIResponse(responseCode = "404", description = "plan_not_found")
    @APIResponse(responseCode = "409", description = "not_for_sale or default_free_plan")
    @POST
    @Path("plans/{code}/retire")
    public Uni<Response> retire(@HeaderParam("Idempotency-Key") String key, @PathParam("code") String code) {
        return idempotency.run(Tx.Kind.SESSION, SCOPE, key, List.of("retire", code),
                tx -> catalog.retire(tx, code).map(Answer::ok)).map(r -> r.toResponse());
    }

    @APIResponse(responseCode = "201", description = "the pack, for sale",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreditPackSnapshot.class)))
    @APIResponse(responseCode = "409", description = "credit_pack_exists: packs are never changed in place (errors[] names code)")
    @POST
    @Path("credit-packs")
    public Uni<Response> publishPack(@HeaderParam("Idempotency-Key") String key, @NotNull CreditPackDraft draft) {
        return idempotency.run(Tx.Kind.SESSION, SCOPE, key, List.of("publish pack", draft),
                tx -> catalog.publishPack(tx, draft, false).map(Answer::created)).map(r -> r.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the pack, no longer for sale",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreditPackSnapshot.class)))
    @APIResponse(responseCode = "404", description = "credit_pack_not_found")
    @APIResponse(responseCode = "409", description = "not_for_sale")
    @POST
    @Path("credit-packs/{code}/retire")
    public Uni<Response> retirePack(@HeaderParam("Idempotency-Key") String key, @PathParam("code") String code) {
        return idempotency.run(Tx.Kind.SESSION, SCOPE, key, List.of("retire pack", code),
                tx -> catalog.retirePack(tx, code).map(Answer::ok)).map(r -> r.toResponse());
    }

    @GET
    @Path("change-policies")
    public Uni<List<PolicyOverride>> overrides() {
        return policies.overrides();
    }

    /** Sets the override for its pair of plans or its direction, replacing the one there was. */
    @PUT
    @Path("change-policies")
    public Uni<PolicyOverride> putOverride(@NotNull PolicyOverride override) {
        return policies.putOverride(override);
    }
}
