package dev.tally.scheduler.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.tx.Tx;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.scheduler.SchedulerConfig;
import dev.tally.scheduler.domain.TimerPlan;
import dev.tally.scheduler.repository.TimerRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps each subscription's timers in step with its latest state, from the subscriptions topic: a
 * polled batch at a time, in one transaction, where only each subscription's newest state counts.
 * Native SQL on a pooled connection: a batch of up to 500 states is two set-based statements.
 */
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
    public Uni<Void> consume(Message<List<String>> batch) {
        return inbox.consumeBatch("billing-scheduler", Tx.Kind.CONNECTION, batch, t -> t.payloadType() == SubscriptionEvent.class, this::apply);
    }

    /** Applies a batch: each subscription's timers follow its newest state in the batch, if newer than the last applied. */
    public Uni<Void> apply(Tx tx, List<InboundEvent> events) {
        Map<UUID, SubscriptionState> latest = new LinkedHashMap<>();
        for (InboundEvent event : events) {
            SubscriptionState s = ((SubscriptionEvent) event.payload()).subscription();
            latest.merge(s.subscriptionId(), s, (a, b) -> b.revision() > a.revision() ? b : a);
        }
        Map<UUID, Long> revisions = new LinkedHashMap<>();
        latest.forEach((id, s) -> revisions.put(id, s.revision()));
        return timers.advanceRevisions(tx.connection(), revisions).flatMap(advanced -> timers.replaceUnfired(tx.connection(), latest.values().stream()
                .filter(s -> advanced.contains(s.subscriptionId())) // an older state than one applied moves nothing
                .map(s -> new TimerRepository.SubscriptionTimers(s.subscriptionId(), s.accountId(), TimerPlan.wanted(s, config.usageCloseLead())))
                .toList()));
    }
}
