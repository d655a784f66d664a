package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.input.PathIds;
import dev.tally.credits.service.AutoTopups;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * An account's auto top-up: below {@code threshold} spendable credits, buy the pack {@code packCode}
 * (paid through subscriptions-service before it is granted), at most {@code monthlyCapMinor} a
 * month; {@code maxFailures} failed payments in a row switch it off. An account token manages its
 * own (AccountScope); service and admin tokens any account's. PUT sets or replaces it (and switches
 * it on again), DELETE switches it off; both may be repeated.
 */
@Path("/accounts/{accountId}/credits/auto-topup")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class AutoTopupResource {
    private final AutoTopups autoTopups;

    public AutoTopupResource(AutoTopups autoTopups) {
        this.autoTopups = autoTopups;
    }

    public record AutoTopupRequest(@NotNull @Positive @Max(1_000_000_000) Long threshold,
                                   @NotBlank @Pattern(regexp = PathIds.ID, message = "must be a credit pack code") String packCode,
                                   @NotNull @Positive @Max(1_000_000_000_000L) Long monthlyCapMinor,
                                   @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code") String currency,
                                   @Min(1) @Max(100) Integer maxFailures) {
    }

    @APIResponse(responseCode = "200", description = "the auto top-up and where it stands",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = AutoTopups.View.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "auto_topup_not_set")
    @GET
    public Uni<AutoTopups.View> get(@PathParam("accountId") String accountId) {
        return autoTopups.view(accountId);
    }

    @APIResponse(responseCode = "200", description = "the auto top-up as set: on, no failures counted",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = AutoTopups.View.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "credit_pack_not_found (errors[] names packCode)")
    @APIResponse(responseCode = "422", description = "currency_mismatch (errors[] names currency) or monthly_cap_below_pack_price "
            + "(errors[] names monthlyCapMinor)")
    @PUT
    public Uni<AutoTopups.View> set(@PathParam("accountId") String accountId, @Valid @NotNull AutoTopupRequest request) {
        return autoTopups.configure(accountId, new AutoTopups.Settings(request.threshold(), request.packCode(), request.monthlyCapMinor(),
                request.currency(), request.maxFailures()));
    }

    @APIResponse(responseCode = "200", description = "the auto top-up, off (a top-up in flight still settles)",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = AutoTopups.View.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "auto_topup_not_set")
    @DELETE
    public Uni<AutoTopups.View> switchOff(@PathParam("accountId") String accountId) {
        return autoTopups.switchOff(accountId);
    }
}
