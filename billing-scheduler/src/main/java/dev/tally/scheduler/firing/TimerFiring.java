package dev.tally.scheduler.firing;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.CreditPeriodEnded;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.scheduler.domain.TimerPlan;
import dev.tally.scheduler.repository.TimerRepository;
import dev.tally.scheduler.repository.TimerRepository.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One replica's firing: claim a batch of due timers under a lease (FOR UPDATE SKIP LOCKED, so
 * replicas never claim the same rows), then in one transaction mark fired those it still holds and
 * write their commands to the outbox. A replica that dies between the two steps loses nothing:
 * its claims lapse with the lease and another replica fires them.
 */
public class TimerFiring {
    private final String replica;
    private final Pool pool;
    private final TimerRepository timers;
    private final Outbox outbox;

    public TimerFiring(String replica, Pool pool, TimerRepository timers, Outbox outbox) {
        this.replica = replica;
        this.pool = pool;
        this.timers = timers;
        this.outbox = outbox;
    }

    public Uni<List<Timer>> claim(Instant now, Duration lease, int batchSize) {
        return timers.claimDue(pool, replica, now, lease, batchSize);
    }

    /** Fires what this replica still holds of {@code claimed}; returns the timers it fired. */
    public Uni<List<Timer>> fire(List<Timer> claimed, Instant now) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.withTransaction(tx -> timers.markFired(tx, replica, claimed.stream().map(Timer::id).toList(), now)
                .call(fired -> outbox.addAll(Tx.of(tx), fired.stream().map(TimerFiring::command).toList())));
    }

    /** Claims and fires batches until no timer is due; returns how many fired. */
    public Uni<Integer> fireAllDue(Instant now, Duration lease, int batchSize) {
        return claim(now, lease, batchSize).flatMap(claimed -> fire(claimed, now).flatMap(fired -> claimed.size() < batchSize
                ? Uni.createFrom().item(fired.size())
                : fireAllDue(now, lease, batchSize).map(more -> more + fired.size())));
    }

    static OutgoingEvent<?> command(Timer t) {
        if (TimerPlan.USAGE_CLOSE.equals(t.kind())) {
            return OutgoingEvent.forAccount(Events.USAGE_CLOSE_DUE, t.accountId(),
                    new UsageCloseDue(t.subscriptionId(), t.accountId(), t.periodStart(), t.periodEnd(), t.dueAt()), t.dueAt());
        }
        if (TimerPlan.CREDIT_PERIOD_END.equals(t.kind())) {
            return OutgoingEvent.forAccount(Events.CREDIT_PERIOD_ENDED, t.accountId(),
                    new CreditPeriodEnded(t.subscriptionId(), t.accountId(), t.periodStart(), t.periodEnd(), t.dueAt()), t.dueAt());
        }
        return OutgoingEvent.forAccount(Events.PERIOD_ENDED, t.accountId(),
                new PeriodEnded(t.subscriptionId(), t.accountId(), t.periodStart(), t.dueAt()), t.dueAt());
    }
}
