package dev.tally.backbone.catalog;

import dev.tally.backbone.inbox.InboundEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A service's own part of the catalog read model (tables in its own migrations): applied by
 * {@link CatalogProjection} to every plans-topic event, in the same inbox transaction, after the
 * shared tables. Implementations are CDI beans; they ignore the events they do not keep.
 */
public interface CatalogAddition {
    Uni<Void> apply(SqlConnection tx, InboundEvent event);

    /** After the inbox transaction that applied an event committed (or found it applied already): drop what is cached. */
    default void committed() {
    }
}
