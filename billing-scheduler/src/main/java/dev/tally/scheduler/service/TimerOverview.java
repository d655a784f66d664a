package dev.tally.scheduler.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.scheduler.repository.TimerReads;
import dev.tally.scheduler.repository.TimerRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** What support and operators read about the timers: an account's, and how far firing lags. */
@ApplicationScoped
public class TimerOverview {
    private final TimerReads timers;
    private final TallyClock clock;

    public TimerOverview(TimerReads timers, TallyClock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    /** Pending and fired counts; lag = clock now minus the oldest due timer not yet fired (0 when none). */
    public record TimerSummary(long pending, long fired, long due, long lagSeconds) {
    }

    /** An account's timers, due and upcoming and fired, by due time. */
    public Uni<List<TimerRepository.Timer>> forAccount(String accountId) {
        return timers.forAccount(accountId);
    }

    public Uni<TimerSummary> summary() {
        var now = clock.instant();
        return timers.counts(now).map(c -> new TimerSummary(c.pending(), c.fired(), c.due(),
                c.oldestDue() == null ? 0 : Duration.between(c.oldestDue(), now).toSeconds()));
    }
}
