package dev.tally.scheduler.rest;

import dev.tally.backbone.auth.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** How many timers wait and how many have fired. */
@Path("/admin/timers")
@RolesAllowed(Roles.ADMIN)
public class TimersResource {
    private final Pool pool;

    public TimersResource(Pool pool) {
        this.pool = pool;
    }

    public record TimerSummary(long pending, long fired) {
    }

    @GET
    @Path("/summary")
    public Uni<TimerSummary> summary() {
        return pool.query("SELECT count(*) FILTER (WHERE fired_at IS NULL), count(*) FILTER (WHERE fired_at IS NOT NULL) FROM timer")
                .execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new TimerSummary(r.getLong(0), r.getLong(1));
                });
    }
}
