package dev.tally.backbone.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Applies one event inside the transaction that also records it as applied. */
@FunctionalInterface
public interface EventHandler {
    Uni<Void> apply(SqlConnection tx, InboundEvent event);
}
