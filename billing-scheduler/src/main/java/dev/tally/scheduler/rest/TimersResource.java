package dev.tally.scheduler.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.Params;
import dev.tally.scheduler.repository.TimerRepository;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
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
    private final TimerRepository timers;
    private final TallyClock clock;

    public TimersResource(Pool pool, TimerRepository timers, TallyClock clock) {
        this.pool = pool;
        this.timers = timers;
        this.clock = clock;
    }

    /** Pending and fired counts; lag = clock now minus the oldest due timer not yet fired (0 when none). */
    public record TimerSummary(long pending, long fired, long due, long lagSeconds) {
    }

    /** An account's timers, due and upcoming and fired, by due time. */
    @GET
    public Uni<List<TimerRepository.Timer>> forAccount(@QueryParam("accountId") String accountId) {
        return timers.forAccount(pool, Params.required("accountId", accountId));
    }

    @GET
    @Path("/summary")
    public Uni<TimerSummary> summary() {
        var now = clock.instant();
        return pool.preparedQuery("SELECT count(*) FILTER (WHERE fired_at IS NULL), count(*) FILTER (WHERE fired_at IS NOT NULL), "
                        + "count(*) FILTER (WHERE fired_at IS NULL AND due_at <= $1), min(due_at) FILTER (WHERE fired_at IS NULL AND due_at <= $1) FROM timer")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    var oldest = r.getOffsetDateTime(3);
                    long lag = oldest == null ? 0 : Duration.between(oldest.toInstant(), now).toSeconds();
                    return new TimerSummary(r.getLong(0), r.getLong(1), r.getLong(2), lag);
                });
    }
}
