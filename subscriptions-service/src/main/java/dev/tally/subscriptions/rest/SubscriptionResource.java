package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;

/** An account's subscription as it stands. */
@Path("/accounts/{accountId}/subscription")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class SubscriptionResource {
    private final Pool pool;

    public SubscriptionResource(Pool pool) {
        this.pool = pool;
    }

    public record SubscriptionView(String accountId, String planCode, int planVersion, String interval, String status,
                                   Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd) {
    }

    @GET
    public Uni<SubscriptionView> current(@PathParam("accountId") String accountId) {
        return pool.preparedQuery("SELECT * FROM subscription WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("no_subscription", "Account " + accountId + " has no subscription yet.");
                    }
                    Row r = rows.iterator().next();
                    return new SubscriptionView(accountId, r.getString("plan_code"), r.getInteger("plan_version"),
                            r.getString("billing_interval"), r.getString("status"),
                            r.getOffsetDateTime("period_start").toInstant(), r.getOffsetDateTime("period_end").toInstant(),
                            r.getBoolean("cancel_at_period_end"));
                });
    }
}
