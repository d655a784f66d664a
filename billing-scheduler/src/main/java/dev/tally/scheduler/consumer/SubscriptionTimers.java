package dev.tally.scheduler.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.scheduler.SchedulerConfig;
import dev.tally.scheduler.domain.TimerPlan;
import dev.tally.scheduler.repository.TimerRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Keeps each subscription's timers in step with its latest state, from the subscriptions topic. */
@ApplicationScoped
public class SubscriptionTimers {
    private final Inbox inbox;
    private final TimerRepository timers;
    private final SchedulerConfig config;

    public SubscriptionTimers(Inbox inbox, TimerRepository timers, SchedulerConfig config) {
        this.inbox = inbox;
        this.timers = timers;
        this.config = config;
    }

    @Incoming("subscriptions")
    public Uni<Void> consume(Message<String> message) {
        return inbox.consume("billing-scheduler", message, (tx, event) -> {
            if (!(event.payload() instanceof SubscriptionEvent payload)) {
                return Uni.createFrom().voidItem();
            }
            SubscriptionState s = payload.subscription();
            return timers.advanceRevision(tx, s.subscriptionId(), s.revision()).flatMap(newer -> newer
                    ? timers.replaceUnfired(tx, s.subscriptionId(), s.accountId(), TimerPlan.wanted(s, config.usageCloseLead()))
                    : Uni.createFrom().voidItem()); // an older state than one applied: it moves nothing
        });
    }
}
