package dev.tally.credits.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.credits.service.SubscriptionCredits;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Subscription events, top-up purchases and their refunds, each applied once, a polled batch in one transaction. */
@ApplicationScoped
public class SubscriptionEventsConsumer {
    private final Inbox inbox;
    private final SubscriptionCredits credits;

    public SubscriptionEventsConsumer(Inbox inbox, SubscriptionCredits credits) {
        this.inbox = inbox;
        this.credits = credits;
    }

    @Incoming("subscriptions")
    public Uni<Void> consume(Message<List<String>> batch) {
        return inbox.consumeBatch("credits-service", batch,
                t -> t.payloadType() == SubscriptionEvent.class || t.equals(Events.TOPUP_PURCHASED) || t.equals(Events.TOPUP_REFUNDED), credits::applyAll);
    }
}
