package dev.tally.subscriptions.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.Events;
import dev.tally.subscriptions.service.PeriodEndService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The scheduler's commands this service owns: {@code period.ended}, each applied once, a polled batch in one transaction. */
@ApplicationScoped
public class BillingCommandsConsumer {
    private final Inbox inbox;
    private final PeriodEndService periodEnds;

    public BillingCommandsConsumer(Inbox inbox, PeriodEndService periodEnds) {
        this.inbox = inbox;
        this.periodEnds = periodEnds;
    }

    @Incoming("billing-commands")
    public Uni<Void> consume(Message<List<String>> batch) {
        return inbox.consumeBatch("subscriptions-service", batch, Events.PERIOD_ENDED::equals,
                (tx, events) -> periodEnds.applyAll(tx, events.stream().map(e -> e.payload(Events.PERIOD_ENDED)).toList()));
    }
}
