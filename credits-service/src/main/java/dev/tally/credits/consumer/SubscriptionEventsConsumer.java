package dev.tally.credits.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.credits.service.SubscriptionCredits;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Subscription events and top-up purchases, each applied once. */
@ApplicationScoped
public class SubscriptionEventsConsumer {
    private final Inbox inbox;
    private final SubscriptionCredits credits;

    public SubscriptionEventsConsumer(Inbox inbox, SubscriptionCredits credits) {
        this.inbox = inbox;
        this.credits = credits;
    }

    @Incoming("subscriptions")
    public Uni<Void> consume(Message<String> message) {
        return inbox.consume("credits-service", message, credits::apply);
    }
}
