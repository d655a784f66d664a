package dev.tally.backbone.catalog;

import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;

/**
 * A service's own part of the catalog read model (tables in its own migrations): applied by
 * {@link CatalogProjection} to every plans-topic event, in the same inbox transaction, after the
 * shared tables (a connection {@link Tx}: native SQL on {@code tx.connection()}). Implementations are
 * CDI beans; they ignore the events they do not keep.
 */
public interface CatalogAddition {
    Uni<Void> apply(Tx tx, InboundEvent event);

    /** After the inbox transaction that applied an event committed (or found it applied already): drop what is cached. */
    default void committed() {
    }
}
