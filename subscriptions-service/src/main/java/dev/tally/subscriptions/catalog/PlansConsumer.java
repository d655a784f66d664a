package dev.tally.subscriptions.catalog;

import dev.tally.backbone.catalog.CatalogProjection;
import dev.tally.backbone.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Keeps this service's read model of the plan catalog from the compacted plans topic. */
@ApplicationScoped
public class PlansConsumer {
    private final Inbox inbox;
    private final CatalogProjection projection;

    public PlansConsumer(Inbox inbox, CatalogProjection projection) {
        this.inbox = inbox;
        this.projection = projection;
    }

    @Incoming("plans")
    public Uni<Void> consume(Message<String> message) {
        return inbox.consume("subscriptions-service", message, projection::apply);
    }
}
