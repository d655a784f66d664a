package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.idempotency.StoredResponse;
import dev.tally.backbone.problem.Params;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.credits.repository.LotQueries;
import dev.tally.credits.service.CreditLots;
import dev.tally.credits.service.CreditLots.LotsView;
import dev.tally.credits.service.LotVoids;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * What an account's balance is made of, for a "Plan & Credits" page and support: its lots (every
 * grant is one) with their source, what was granted and what is left, the open holds, and what
 * refunds left owed; and an admin's void of one lot. The LIVE lots (the default) are those that
 * still count: holding credits and not past their expiry (whose EXPIRE entry may not be written yet).
 */
@Path("/accounts/{accountId}/credits/lots")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class LotsResource {
    private final CreditLots lots;
    private final LotVoids voids;
    private final IdempotentRequests idempotency;
    private final SecurityIdentity identity;

    public LotsResource(CreditLots lots, LotVoids voids, IdempotentRequests idempotency, SecurityIdentity identity) {
        this.lots = lots;
        this.voids = voids;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    public record VoidRequest(@NotBlank @Size(max = 200) String reason) {
    }

    @GET
    public Uni<LotsView> lots(@PathParam("accountId") String accountId,
                              @Parameter(description = "live (default: holding credits, not expired), past, or all",
                                      schema = @Schema(enumeration = {"live", "past", "all"}))
                              @QueryParam("status") @DefaultValue("live") String status,
                              @QueryParam("before") @DefaultValue("9223372036854775807") @Min(1) long before,
                              @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(200) int limit) {
        LotQueries.Filter filter = Params.enumOf(LotQueries.Filter.class, "status", status);
        return lots.lots(accountId, filter, before, limit);
    }

    /**
     * Voids one lot (an admin, with a reason): what it holds leaves the balance by a VOID entry, and it
     * is never spent again. Voiding a voided lot answers it as it is.
     */
    @APIResponse(responseCode = "200", description = "the lot after the void (status VOIDED, or as it was if it was closed already)",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = LotQueries.Lot.class)))
    @APIResponse(responseCode = "403", description = "forbidden: an admin token only")
    @APIResponse(responseCode = "404", description = "lot_not_found (errors[] names lotId)")
    @POST
    @Path("/{lotId}/void")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> voidLot(@PathParam("accountId") String accountId, @PathParam("lotId") String lotId,
                                 @HeaderParam("Idempotency-Key") String key, @Valid @NotNull VoidRequest request) {
        long id = lotId(lotId);
        String admin = identity.getPrincipal().getName();
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("void-lot", id, request),
                tx -> voids.voidLot(tx, accountId, id, request.reason(), admin).map(Answer::ok)).map(StoredResponse::toResponse);
    }

    private static long lotId(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0 && id < Long.MAX_VALUE) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ProblemException.invalidField("lotId", "must be a lot id, a positive whole number");
    }
}
