package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.repository.SubscriptionHistory;
import dev.tally.subscriptions.service.SubscriptionService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** An account's subscription: plan version, period, status, seats and entitlements (the plan's features). */
@Path("/accounts/{accountId}/subscription")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class SubscriptionResource {
    private final SubscriptionService subscriptions;
    private final IdempotentRequests idempotency;

    public SubscriptionResource(SubscriptionService subscriptions, IdempotentRequests idempotency) {
        this.subscriptions = subscriptions;
        this.idempotency = idempotency;
    }

    /** The subscription's plan changes, newest first, with who made each when support (an admin) did, and why. */
    @GET
    @Path("/history")
    public Uni<List<SubscriptionHistory.Entry>> history(@PathParam("accountId") String accountId) {
        return subscriptions.history(accountId);
    }

    /** The subscription; an account without one is started on the default free plan first. */
    @GET
    public Uni<SubscriptionState> current(@PathParam("accountId") String accountId) {
        return subscriptions.current(accountId);
    }

    /** Starts the account on the default free plan (201), or answers with the subscription it has. */
    @APIResponse(responseCode = "201", description = "the subscription, started on the default free plan (or the one it has)",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = SubscriptionState.class)))
    @APIResponse(responseCode = "403", description = "account_mismatch or forbidden")
    @APIResponse(responseCode = "503", description = "catalog_not_ready, database_unavailable or transient_conflict")
    @POST
    public Uni<Response> start(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(Tx.Kind.SESSION, accountId, key, List.of("start"), tx -> subscriptions.start(tx, accountId).map(Answer::created))
                .map(stored -> stored.toResponse());
    }
}
