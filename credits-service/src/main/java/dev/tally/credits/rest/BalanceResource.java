package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** An account's credit balance, derived from its ledger entries. */
@Path("/accounts/{accountId}/credits")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class BalanceResource {
    private final Pool pool;

    public BalanceResource(Pool pool) {
        this.pool = pool;
    }

    public record Balance(String accountId, long balance) {
    }

    @GET
    public Uni<Balance> balance(@PathParam("accountId") String accountId) {
        return pool.preparedQuery("SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE account_id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> new Balance(accountId, rows.iterator().next().getLong(0)));
    }
}
