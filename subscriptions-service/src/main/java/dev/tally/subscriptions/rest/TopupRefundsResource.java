package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.subscriptions.service.TopupRefunds;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * An admin refunds a top-up purchase (all that is left, or {@code amountMinor} of it): the gateway
 * refunds it (the sandbox at once, Stripe through its Refunds API), a negative charge line records
 * it and credits-service claws the purchase's lot back in proportion (docs/rules.md, Lots).
 */
@Path("/accounts/{accountId}/topups/{purchaseId}/refunds")
@RolesAllowed(Roles.ADMIN)
public class TopupRefundsResource {
    private final TopupRefunds refunds;
    private final IdempotentRequests idempotency;
    private final SecurityIdentity identity;

    public TopupRefundsResource(TopupRefunds refunds, IdempotentRequests idempotency, SecurityIdentity identity) {
        this.refunds = refunds;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    /** {@code amountMinor}: what to refund, in the purchase's currency (default: all that can still be refunded). */
    public record RefundRequest(@Positive @Max(1_000_000_000) Long amountMinor, @NotBlank @Size(max = 200) String reason) {
    }

    @APIResponse(responseCode = "201", description = "the purchase's money after the refund: paid, refunded, disputed, still refundable",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = TopupRefunds.RefundView.class)))
    @APIResponse(responseCode = "403", description = "forbidden: an admin token only")
    @APIResponse(responseCode = "404", description = "purchase_not_found (errors[] names purchaseId)")
    @APIResponse(responseCode = "409", description = "already_refunded, or stripe_idempotency_conflict")
    @APIResponse(responseCode = "422", description = "refund_exceeds_payment (errors[] names amountMinor) or refund_not_supported")
    @APIResponse(responseCode = "429", description = "stripe_rate_limited")
    @APIResponse(responseCode = "502", description = "stripe_rejected or stripe_error")
    @POST
    public Uni<Response> refund(@PathParam("accountId") String accountId, @PathParam("purchaseId") String purchaseId,
                                @HeaderParam("Idempotency-Key") String key, @Valid @NotNull RefundRequest request) {
        UUID id = purchaseId(purchaseId);
        String admin = identity.getPrincipal().getName();
        return idempotency.run(Tx.Kind.SESSION, accountId, key, List.of("refund-topup", id, request),
                        () -> refunds.decide(accountId, id, request.amountMinor(), request.reason(), admin, key),
                        (tx, decided) -> refunds.apply(tx, decided).map(Answer::created))
                .map(stored -> stored.toResponse());
    }

    private static UUID purchaseId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("purchaseId", "must be a purchase id (a UUID)");
        }
    }
}
