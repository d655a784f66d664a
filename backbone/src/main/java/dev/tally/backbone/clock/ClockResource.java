package dev.tally.backbone.clock;

import dev.tally.backbone.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Dev and test only: lets an admin set, freeze or advance this service's clock. With
 * {@code tally.clock.adjustable=false} (the production default) every call answers 404, as if the
 * endpoint did not exist.
 */
@Path("/admin/clock")
@RolesAllowed("admin")
public class ClockResource {
    private final TallyClock clock;
    private final boolean adjustable;

    public ClockResource(TallyClock clock, @ConfigProperty(name = "tally.clock.adjustable") boolean adjustable) {
        this.clock = clock;
        this.adjustable = adjustable;
    }

    /** The service's now, and whether it stands still until moved. */
    public record ClockView(Instant now, boolean frozen) {
    }

    /** {@code frozen: true} stops the clock at {@code now} (it moves only when advanced); absent or false, it runs on from there. */
    public record SetClock(@NotNull Instant now, Boolean frozen) {
    }

    public record AdvanceClock(@NotNull Duration by) {
    }

    @GET
    public ClockView now() {
        requireAdjustable();
        return view(clock.instant());
    }

    @PUT
    public ClockView set(@Valid @NotNull SetClock request) {
        requireAdjustable();
        return view(clock.set(request.now(), Boolean.TRUE.equals(request.frozen())));
    }

    @POST
    @Path("/advance")
    public ClockView advance(@Valid @NotNull AdvanceClock request) {
        requireAdjustable();
        return view(clock.advance(request.by()));
    }

    @DELETE
    public ClockView reset() {
        requireAdjustable();
        return view(clock.reset());
    }

    private ClockView view(Instant now) {
        return new ClockView(now, clock.frozen());
    }

    private void requireAdjustable() {
        if (!adjustable) {
            throw ProblemException.notFound("not_found", "No such resource.");
        }
    }
}
