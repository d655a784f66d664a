package dev.tally.subscriptions.catalog;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.catalog.Catalog;
import dev.tally.contracts.plans.PlanSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;

/** This service's view of the plans for sale, as it learnt them from the plans topic. */
@Path("/catalog/plans")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class CatalogResource {
    private final Catalog catalog;

    public CatalogResource(Catalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public Uni<List<PlanSnapshot>> plansForSale() {
        return catalog.plansForSale();
    }

    /** Every version of a plan received from the plans topic: each exactly once. */
    @GET
    @Path("/{code}/versions")
    public Uni<List<PlanSnapshot>> versions(@jakarta.ws.rs.PathParam("code") String code) {
        return catalog.versions(code);
    }
}
