package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.credits.service.PeriodUsage;
import dev.tally.credits.service.PeriodUsage.UsageView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Usage so far: the current period's credits spent by bucket kind, the overage not closed yet and
 * its price so far, and what the next usage close will take and charge ({@link PeriodUsage}).
 * Read-only: nothing is locked or written.
 */
@Path("/accounts/{accountId}/credits/usage")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class UsageResource {
    private final PeriodUsage usage;

    public UsageResource(PeriodUsage usage) {
        this.usage = usage;
    }

    @APIResponse(responseCode = "200", description = "the current period's usage",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UsageView.class)))
    @APIResponse(responseCode = "404", description = "subscription_not_found: no subscription event has reached credits-service for this account yet")
    @GET
    public Uni<UsageView> usage(@PathParam("accountId") String accountId) {
        return usage.of(accountId);
    }
}
