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
import java.util.List;
import java.util.UUID;

/**
 * This replica's poll: every second, fire every timer due by the service clock (so timers missed
 * while down fire on start), in {@code firing-concurrency} chains of batches at once.
 */
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
        java.time.Instant now = clock.instant();
        List<Uni<Integer>> chains = java.util.stream.IntStream.range(0, Math.max(1, config.firingConcurrency()))
                .mapToObj(i -> firing.fireAllDue(now, config.lease(), config.batchSize()).invoke(n -> fired.increment(n))).toList();
        return Uni.join().all(chains).andCollectFailures().replaceWithVoid();
    }
}
