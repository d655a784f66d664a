package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.input.PathIds;
import dev.tally.backbone.problem.FieldsAtFault;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.service.ChangeQuoteView;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Plan changes: preview, change, pending change, cancel and resume. Every POST accepts an
 * Idempotency-Key. Each request is decided and told to other services (credits-service, Stripe) once
 * its key is claimed and before its transaction opens; the transaction only locks, re-checks and writes.
 * A preview is kept in a Hibernate session's transaction; a change, cancel or resume is applied on a
 * connection's, as the payment gateway records its part on that connection.
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

    @APIResponse(responseCode = "200", description = "the quote: money lines, credits, new period and effective instant, binding for 15 minutes",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChangeQuoteView.class)))
    @APIResponse(responseCode = "402", description = "payment_method_required, payment_failed, payment_not_settled or card_declined")
    @APIResponse(responseCode = "403", description = "account_mismatch, forbidden, contact_sales_required (errors[] names planCode) or admin_only")
    @APIResponse(responseCode = "404", description = "plan_not_found (planCode) or preview_not_found (previewId)")
    @APIResponse(responseCode = "409", description = "preview_stale (previewId), subscription_changed, already_cancelled, subscription_not_active or checkout_required")
    @APIResponse(responseCode = "410", description = "preview_expired (previewId)")
    @APIResponse(responseCode = "422", description = "same_plan (planCode), interval_not_offered (interval), timing_not_allowed (timing), currency_mismatch, plan_not_for_sale or stripe_price_missing")
    @APIResponse(responseCode = "502", description = "catalog_unavailable or stripe_rejected: a service this one asks did not answer as it should")
    @POST
    @Path("/previews")
    public Uni<Response> preview(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                 @Valid @NotNull ChangeBody body) {
        return idempotency.run(Tx.Kind.SESSION, accountId, key, List.of("preview", body),
                        () -> FIELDS.on(() -> changes.quote(accountId, body.request(), identity.hasRole(Roles.ADMIN))),
                        (tx, quoted) -> FIELDS.on(() -> changes.keepPreview(tx, accountId, quoted)).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the change as applied (or scheduled): the same blocks as its preview, credits included",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChangeQuoteView.class)))
    @APIResponse(responseCode = "402", description = "payment_method_required, payment_failed, payment_not_settled or card_declined")
    @APIResponse(responseCode = "403", description = "account_mismatch, forbidden, contact_sales_required (errors[] names planCode) or admin_only")
    @APIResponse(responseCode = "404", description = "plan_not_found (planCode) or preview_not_found (previewId)")
    @APIResponse(responseCode = "409", description = "preview_stale (previewId), subscription_changed, already_cancelled, subscription_not_active or checkout_required")
    @APIResponse(responseCode = "410", description = "preview_expired (previewId)")
    @APIResponse(responseCode = "422", description = "same_plan (planCode), interval_not_offered (interval), timing_not_allowed (timing), currency_mismatch, plan_not_for_sale or stripe_price_missing")
    @APIResponse(responseCode = "502", description = "catalog_unavailable or stripe_rejected: a service this one asks did not answer as it should")
    @POST
    @Path("/changes")
    public Uni<Response> change(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key,
                                @Valid @NotNull ChangeBody body) {
        if (body.previewId() == null && (body.planCode() == null || body.planCode().isBlank())) {
            throw ProblemException.invalidField("planCode", "is required unless previewId is given");
        }
        boolean admin = identity.hasRole(Roles.ADMIN);
        Ask ask = admin ? body.bySupport(identity.getPrincipal().getName()) : body.request();
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("change", body),
                        () -> FIELDS.on(() -> changes.decide(accountId, ask, admin)),
                        (tx, decided) -> FIELDS.on(() -> changes.apply(tx, decided)).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the subscription without its pending change",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = SubscriptionState.class)))
    @APIResponse(responseCode = "402", description = "payment_failed or card_declined")
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "409", description = "pending_change_blocks_cancel, already_cancelled, nothing_to_resume, no_pending_change, free_plan_not_cancellable, period_already_ended, subscription_not_active or subscription_changed")
    @APIResponse(responseCode = "502", description = "stripe_rejected")
    @DELETE
    @Path("/pending-change")
    public Uni<Response> cancelPendingChange(@PathParam("accountId") String accountId) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, null, "cancel pending", () -> cancellations.decideDropPending(accountId),
                        (tx, decided) -> cancellations.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the subscription, cancelled at its period end",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = SubscriptionState.class)))
    @APIResponse(responseCode = "402", description = "payment_failed or card_declined")
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "409", description = "pending_change_blocks_cancel, already_cancelled, nothing_to_resume, no_pending_change, free_plan_not_cancellable, period_already_ended, subscription_not_active or subscription_changed")
    @APIResponse(responseCode = "502", description = "stripe_rejected")
    @POST
    @Path("/cancel")
    public Uni<Response> cancel(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("cancel"), () -> cancellations.decideCancel(accountId),
                        (tx, decided) -> cancellations.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }

    @APIResponse(responseCode = "200", description = "the subscription, renewing again",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = SubscriptionState.class)))
    @APIResponse(responseCode = "402", description = "payment_failed or card_declined")
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "409", description = "pending_change_blocks_cancel, already_cancelled, nothing_to_resume, no_pending_change, free_plan_not_cancellable, period_already_ended, subscription_not_active or subscription_changed")
    @APIResponse(responseCode = "502", description = "stripe_rejected")
    @POST
    @Path("/resume")
    public Uni<Response> resume(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(Tx.Kind.CONNECTION, accountId, key, List.of("resume"), () -> cancellations.decideResume(accountId),
                        (tx, decided) -> cancellations.apply(tx, decided).map(Answer::ok))
                .map(stored -> stored.toResponse());
    }
}
