package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.idempotency.IdempotentRequests;
import dev.tally.backbone.idempotency.IdempotentRequests.Answer;
import dev.tally.contracts.subscriptions.SubscriptionState;
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

    /** The subscription; an account without one is started on the default free plan first. */
    @GET
    public Uni<SubscriptionState> current(@PathParam("accountId") String accountId) {
        return subscriptions.current(accountId);
    }

    /** Starts the account on the default free plan (201), or answers with the subscription it has. */
    @POST
    public Uni<Response> start(@PathParam("accountId") String accountId, @HeaderParam("Idempotency-Key") String key) {
        return idempotency.run(accountId, key, List.of("start"), tx -> subscriptions.start(tx, accountId).map(Answer::created))
                .map(stored -> stored.toResponse());
    }
}
