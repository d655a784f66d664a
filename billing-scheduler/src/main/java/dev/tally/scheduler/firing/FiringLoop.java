package dev.tally.scheduler.firing;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.scheduler.SchedulerConfig;
import dev.tally.scheduler.repository.TimerRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** This replica's poll: every second, fire every timer due by the service clock (so timers missed while down fire on start). */
@ApplicationScoped
public class FiringLoop {
    private final TimerFiring firing;
    private final TallyClock clock;
    private final SchedulerConfig config;
    private final Counter fired;

    public FiringLoop(Pool pool, TimerRepository timers, Outbox outbox, TallyClock clock, SchedulerConfig config, MeterRegistry metrics) {
        this.firing = new TimerFiring("replica-" + UUID.randomUUID(), pool, timers, outbox);
        this.clock = clock;
        this.config = config;
        this.fired = Counter.builder("tally.timers.fired").description("timers fired by this replica").register(metrics);
    }

    @Scheduled(every = "${tally.scheduler.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fireDue() {
        if (!config.firingEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return firing.fireAllDue(clock.instant(), config.lease(), config.batchSize()).invoke(n -> fired.increment(n)).replaceWithVoid();
    }
}
