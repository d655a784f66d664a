package dev.tally.subscriptions.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.Events;
import dev.tally.subscriptions.service.PeriodEndService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The scheduler's commands this service owns: {@code period.ended}, each applied once. */
@ApplicationScoped
public class BillingCommandsConsumer {
    private final Inbox inbox;
    private final PeriodEndService periodEnds;

    public BillingCommandsConsumer(Inbox inbox, PeriodEndService periodEnds) {
        this.inbox = inbox;
        this.periodEnds = periodEnds;
    }

    @Incoming("billing-commands")
    public Uni<Void> consume(Message<String> message) {
        return inbox.consume("subscriptions-service", message, (tx, event) -> event.is(Events.PERIOD_ENDED)
                ? periodEnds.apply(tx, event.payload(Events.PERIOD_ENDED))
                : Uni.createFrom().voidItem());
    }
}
