package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.service.ChangeQuoter.Ask;
import dev.tally.subscriptions.service.Cancellations;
import dev.tally.subscriptions.service.ChangeService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Plan changes: preview, change, pending change, cancel and resume. Every POST accepts an
 * Idempotency-Key. Each request is decided and told to other services (plans-service, Stripe) once
 * its key is claimed and before its transaction opens; the transaction only locks, re-checks and writes.
 */
@Path("/accounts/{accountId}/subscription")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class ChangeResource {
    private final ChangeService changes;
    private final Cancellations cancellations;
    private final IdempotentRequests idempotency;
    private final SecurityIdentity identity;

    public ChangeResource(ChangeService changes, Cancellations cancellations, IdempotentRequests idempotency, SecurityIdentity identity) {
        this.changes = changes;
        this.cancellations = cancellations;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    /** A change request: a plan and interval with an optional timing, or the id of a preview to confirm. */
    public record ChangeBody(String planCode, BillingInterval interval, ChangeTiming timing, UUID previewId) {
        Ask request() {
            return new Ask(planCode, interval, timing, previewId);
        }
    }

    @POST
    @Path("/previews")
    public Uni<Response> preview(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                 @NotNull ChangeBody body) {
        return idempotency.run(accountId, key, List.of("preview", body),
                        () -> changes.quote(accountId, body.request(), identity.hasRole(Roles.ADMIN)),
                        (tx, quoted) -> changes.keepPreview(tx, accountId, quoted).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @POST
    @Path("/changes")
    public Uni<Response> change(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                @NotNull ChangeBody body) {
        if (body.previewId() == null && (body.planCode() == null || body.planCode().isBlank())) {
            throw dev.tally.backbone.problem.ProblemException.invalidField("planCode", "is required unless previewId is given");
        }
        return idempotency.run(accountId, key, List.of("change", body),
                        () -> changes.decide(accountId, body.request(), identity.hasRole(Roles.ADMIN)),
                        (tx, decided) -> changes.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @DELETE
    @Path("/pending-change")
    public Uni<Response> cancelPendingChange(@PathParam("accountId") String accountId) {
        return idempotency.run(accountId, null, "cancel pending", () -> cancellations.decideDropPending(accountId),
                        (tx, decided) -> cancellations.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @POST
    @Path("/cancel")
    public Uni<Response> cancel(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(accountId, key, List.of("cancel"), () -> cancellations.decideCancel(accountId),
                        (tx, decided) -> cancellations.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @POST
    @Path("/resume")
    public Uni<Response> resume(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(accountId, key, List.of("resume"), () -> cancellations.decideResume(accountId),
                        (tx, decided) -> cancellations.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }
}
