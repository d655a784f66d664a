package dev.tally.subscriptions.rest;

import dev.tally.backbone.auth.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Sales inquiries (an account asking for a plan sold through sales), for admins: newest first, optionally one account's. */
@Path("/admin/sales-inquiries")
@RolesAllowed(Roles.ADMIN)
public class SalesInquiriesResource {
    private static final int LIMIT = 200;
    private final Pool pool;

    public SalesInquiriesResource(Pool pool) {
        this.pool = pool;
    }

    public record SalesInquiry(UUID id, String accountId, String planCode, String contactEmail, String message, Instant receivedAt) {
    }

    /** Up to 200 inquiries, newest first; {@code accountId} keeps that account's only. */
    @GET
    public Uni<List<SalesInquiry>> list(@QueryParam("accountId") String accountId) {
        boolean all = accountId == null || accountId.isBlank();
        String sql = "SELECT id, account_id, plan_code, contact_email, message, received_at FROM sales_inquiry "
                + (all ? "" : "WHERE account_id = $1 ") + "ORDER BY received_at DESC, id LIMIT " + LIMIT;
        return pool.preparedQuery(sql).execute(all ? Tuple.tuple() : Tuple.of(accountId.strip())).map(rows -> {
            List<SalesInquiry> found = new ArrayList<>();
            rows.forEach(r -> found.add(new SalesInquiry(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    r.getOffsetDateTime(5).toInstant())));
            return found;
        });
    }
}
