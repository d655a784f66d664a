package dev.tally.scheduler.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.problem.Params;
import dev.tally.scheduler.repository.TimerRepository;
import dev.tally.scheduler.service.TimerOverview;
import dev.tally.scheduler.service.TimerOverview.TimerSummary;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;

/** How many timers wait and how many have fired. */
@Path("/admin/timers")
@RolesAllowed(Roles.ADMIN)
public class TimersResource {
    private final TimerOverview timers;

    public TimersResource(TimerOverview timers) {
        this.timers = timers;
    }

    /** An account's timers, due and upcoming and fired, by due time. */
    @GET
    public Uni<List<TimerRepository.Timer>> forAccount(@QueryParam("accountId") String accountId) {
        return timers.forAccount(Params.required("accountId", accountId));
    }

    @GET
    @Path("/summary")
    public Uni<TimerSummary> summary() {
        return timers.summary();
    }
}
