package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.idempotency.StoredResponse;
import dev.tally.backbone.tx.Tx;
import dev.tally.credits.service.PromoGrants;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Promotional credits given to an account by an admin or the product's backend (never by the account itself). */
@Path("/accounts/{accountId}/credits/grants")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
public class PromoGrantsResource {
    private final PromoGrants grants;
    private final IdempotentRequests idempotency;

    public PromoGrantsResource(PromoGrants grants, IdempotentRequests idempotency) {
        this.grants = grants;
        this.idempotency = idempotency;
    }

    public record GrantRequest(@NotNull @Positive @Max(1_000_000_000) Long credits, @NotBlank @Size(max = 200) String reason,
                               Instant expiresAt) {
    }

    /** Grants PROMO credits, once per Idempotency-Key; {@code expiresAt} is optional (never expires without it). */
    @APIResponse(responseCode = "201", description = "the grant: its id, credits, reason and expiry",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = PromoGrants.PromoGrant.class)))
    @APIResponse(responseCode = "403", description = "forbidden: an admin or service token only")
    @POST
    public Uni<Response> grant(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                               @Valid @NotNull GrantRequest request) {
        String grantId = key != null ? key : UUID.randomUUID().toString();
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("promo", request), tx -> grants.grant(tx, accountId, grantId,
                request.credits(), request.reason(), request.expiresAt()).map(Answer::created)).map(StoredResponse::toResponse);
    }
}
