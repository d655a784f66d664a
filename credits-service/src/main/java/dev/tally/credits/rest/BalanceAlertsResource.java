package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.credits.domain.BalanceAlerts;
import dev.tally.credits.service.BalanceAlertSettings;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * An account's balance alerts (docs/rules.md, Balance alerts): thresholds in credits or in percent of
 * the period's grant, and overage amounts. An account token manages its own account's (AccountScope),
 * the product's backend and admins any account's.
 */
@Path("/accounts/{accountId}/credits/alerts")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class BalanceAlertsResource {
    private final BalanceAlertSettings settings;

    public BalanceAlertsResource(BalanceAlertSettings settings) {
        this.settings = settings;
    }

    /** {@code kind}: CREDITS (value in credits), PERCENT_OF_GRANT (1 to 100) or OVERAGE (open overage credits). */
    public record AlertRequest(@NotNull BalanceAlerts.Kind kind, @NotNull @Positive @Max(1_000_000_000) Long value) {
    }

    @APIResponse(responseCode = "200", description = "the alerts in force (the default threshold as kind DEFAULT when the account set no balance alert)",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = BalanceAlertSettings.AlertsView.class)))
    @GET
    public Uni<BalanceAlertSettings.AlertsView> list(@PathParam("accountId") String accountId) {
        return settings.list(accountId);
    }

    @APIResponse(responseCode = "201", description = "the alert, in the state the balance is in now (tripped: below it already)",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = BalanceAlertSettings.AlertView.class)))
    @APIResponse(responseCode = "409", description = "alert_exists (errors[] names value) or too_many_alerts (at most 10)")
    @POST
    public Uni<Response> create(@PathParam("accountId") String accountId, @Valid @NotNull AlertRequest request) {
        return settings.create(accountId, request.kind(), request.value())
                .map(alert -> Response.status(201).entity(alert).build());
    }

    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "alert_not_found (errors[] names alertId)")
    @DELETE
    @Path("/{alertId}")
    public Uni<Response> delete(@PathParam("accountId") String accountId, @PathParam("alertId") String alertId) {
        return settings.delete(accountId, alertId).replaceWith(Response.noContent().build());
    }
}
