package dev.tally.backbone.catalog;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.tx.Tx;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Feeds the local catalog read model from the plans topic, through the Inbox (each event once).
 * Present only in services built with {@code tally.catalog.read-model=true}; they also configure
 * the {@code plans} channel and add {@code db/catalog} to their Flyway locations.
 */
@ApplicationScoped
@IfBuildProperty(name = "tally.catalog.read-model", stringValue = "true")
public class CatalogFeed {
    private final Inbox inbox;
    private final CatalogProjection projection;
    private final String consumer;

    public CatalogFeed(Inbox inbox, CatalogProjection projection,
                       @ConfigProperty(name = "quarkus.application.name") String consumer) {
        this.inbox = inbox;
        this.projection = projection;
        this.consumer = consumer;
    }

    @Incoming("plans")
    public Uni<Void> consume(Message<String> message) {
        return inbox.consume(consumer, Tx.Kind.CONNECTION, message, (tx, event) -> projection.apply(tx, event)).invoke(projection::committed);
    }
}
