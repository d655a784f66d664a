package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.input.PathIds;
import dev.tally.backbone.problem.FieldsAtFault;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.service.ChangeQuoter;
import dev.tally.subscriptions.service.ChangeQuoter.Ask;
import dev.tally.subscriptions.service.Cancellations;
import dev.tally.subscriptions.service.ChangeService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
 * Idempotency-Key. Each request is decided and told to other services (credits-service, Stripe) once
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

    /** The fields of the request the refusals of a preview or change are about. */
    private static final FieldsAtFault FIELDS = FieldsAtFault.of("plan_not_found", "planCode")
            .and("plan_not_for_sale", "planCode").and("preview_not_found", "previewId").and("preview_expired", "previewId")
            .and("preview_stale", "previewId");

    /**
     * A change request: a plan and interval with an optional timing, or the id of a preview to
     * confirm. {@code reason} is required when support (an admin token) makes the change for the
     * account, and recorded with it; an admin may use any timing on any plan.
     */
    public record ChangeBody(@Pattern(regexp = PathIds.ID, message = "must be a plan code") String planCode,
                             BillingInterval interval, ChangeTiming timing, UUID previewId,
                             @Size(max = 500) String reason) {
        Ask request() {
            return new Ask(planCode, interval, timing, previewId);
        }

        Ask bySupport(String admin) {
            if (reason == null || reason.isBlank()) {
                throw ProblemException.invalidField("reason", "is required when support (an admin) changes an account's plan");
            }
            return new Ask(planCode, interval, timing, previewId, new ChangeQuoter.Support(admin, reason.strip()));
        }
    }

    @POST
    @Path("/previews")
    public Uni<Response> preview(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                 @Valid @NotNull ChangeBody body) {
        return idempotency.run(accountId, key, List.of("preview", body),
                        () -> FIELDS.on(() -> changes.quote(accountId, body.request(), identity.hasRole(Roles.ADMIN))),
                        (tx, quoted) -> FIELDS.on(() -> changes.keepPreview(tx, accountId, quoted)).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @POST
    @Path("/changes")
    public Uni<Response> change(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                @Valid @NotNull ChangeBody body) {
        if (body.previewId() == null && (body.planCode() == null || body.planCode().isBlank())) {
            throw ProblemException.invalidField("planCode", "is required unless previewId is given");
        }
        boolean admin = identity.hasRole(Roles.ADMIN);
        Ask ask = admin ? body.bySupport(identity.getPrincipal().getName()) : body.request();
        return idempotency.run(accountId, key, List.of("change", body),
                        () -> FIELDS.on(() -> changes.decide(accountId, ask, admin)),
                        (tx, decided) -> FIELDS.on(() -> changes.apply(tx, decided)).map(Answer::ok))
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
