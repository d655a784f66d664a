package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an account was charged: one line per change, renewal, credit for unused time and overage,
 * newest first; and its customer balance (credit we owe it, used up by the next charges).
 */
@Path("/accounts/{accountId}")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class ChargesResource {
    private final Pool pool;

    public ChargesResource(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param kind       UNUSED_TIME_CREDIT, REMAINING_TIME, NEW_PERIOD, RENEWAL or OVERAGE
     * @param paymentRef the gateway's reference of the payment that settled it (null: covered by the customer balance, or a credit)
     * @param actedBy    the admin's subject when support made the change for the account (else null), with its {@code reason}
     */
    public record ChargeLine(long id, String kind, String description, Instant periodStart, Instant periodEnd, long amountMinor,
                             String currency, String paymentRef, Instant at, String actedBy, String reason) {
    }

    /** Credit the account holds with us (from downgrades), in minor units. */
    public record CustomerBalance(String accountId, long amountMinor, String currency) {
    }

    @GET
    @Path("/customer-balance")
    public Uni<CustomerBalance> balance(@PathParam("accountId") String accountId) {
        return pool.preparedQuery("SELECT customer_balance_minor, customer_balance_currency FROM subscription WHERE account_id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? new CustomerBalance(accountId, 0, null)
                        : new CustomerBalance(accountId, rows.iterator().next().getLong(0), rows.iterator().next().getString(1)));
    }

    @GET
    @Path("/charges")
    public Uni<List<ChargeLine>> charges(@PathParam("accountId") String accountId) {
        return pool.preparedQuery("SELECT id, kind, description, period_start, period_end, amount_minor, currency, payment_ref, created_at, acted_by, reason FROM charge "
                        + "WHERE account_id = $1 ORDER BY id DESC LIMIT 200")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<ChargeLine> lines = new ArrayList<>();
                    rows.forEach(r -> lines.add(new ChargeLine(r.getLong(0), r.getString(1), r.getString(2),
                            instant(r.getOffsetDateTime(3)), instant(r.getOffsetDateTime(4)), r.getLong(5), r.getString(6),
                            r.getString(7), instant(r.getOffsetDateTime(8)), r.getString(9), r.getString(10))));
                    return lines;
                });
    }

    private static Instant instant(java.time.OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
