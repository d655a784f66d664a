package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.credits.domain.Hold;
import dev.tally.credits.domain.HoldStatus;
import dev.tally.credits.service.CreditLedger;
import dev.tally.credits.service.Holds;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Holds: reserve, capture (all or part), release. Every POST accepts an Idempotency-Key. */
@Path("/accounts/{accountId}/credits/holds")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN, Roles.ACCOUNT})
public class HoldsResource {
    private final Holds holds;
    private final IdempotentRequests idempotency;

    public HoldsResource(Holds holds, IdempotentRequests idempotency) {
        this.holds = holds;
        this.idempotency = idempotency;
    }

    public record HoldRequest(@NotNull @Positive @Max(1_000_000_000) Long amount, @NotNull @Positive @Max(86_400) Long ttlSeconds,
                              @NotBlank @Size(max = 200) String reason) {
    }

    /** A hold as the API shows it. */
    public record HoldView(UUID id, String accountId, long credits, HoldStatus status, long captured, String reason, Instant expiresAt) {
        static HoldView of(Hold h) {
            return new HoldView(h.id(), h.accountId(), h.credits(), h.status(), h.captured(), h.reason(), h.expiresAt());
        }
    }

    public record CaptureRequest(@NotNull @Positive @Max(1_000_000_000) Long amount) {
    }

    @APIResponse(responseCode = "201", description = "the hold, reserving its credits until expiresAt",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = HoldView.class)))
    @APIResponse(responseCode = "402", description = "insufficient_credits")
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @POST
    public Uni<Response> reserve(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                 @Valid @NotNull HoldRequest request) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("hold", request), tx -> holds.reserve(tx, accountId, request.amount(),
                Duration.ofSeconds(request.ttlSeconds()), request.reason()).map(h -> Answer.created(HoldView.of(h)))).map(s -> s.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the debit the capture made",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreditLedger.DebitResult.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "hold_not_found (errors[] names holdId)")
    @APIResponse(responseCode = "409", description = "hold_closed or hold_expired")
    @APIResponse(responseCode = "422", description = "capture_exceeds_hold (errors[] names amount)")
    @POST
    @Path("/{holdId}/capture")
    public Uni<Response> capture(@PathParam("accountId") String accountId, @PathParam("holdId") UUID holdId,
                                 @HeaderParam("Idempotency-Key") String key, @Valid @NotNull CaptureRequest request) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("capture", holdId, request),
                tx -> holds.capture(tx, accountId, holdId, request.amount()).map(Answer::ok)).map(s -> s.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the hold, released",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = HoldView.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "404", description = "hold_not_found (errors[] names holdId)")
    @APIResponse(responseCode = "409", description = "hold_closed")
    @POST
    @Path("/{holdId}/release")
    public Uni<Response> release(@PathParam("accountId") String accountId, @PathParam("holdId") UUID holdId,
                                 @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("release", holdId),
                tx -> holds.release(tx, accountId, holdId).map(h -> Answer.ok(HoldView.of(h)))).map(s -> s.toResponse());
    }
}
