package dev.tally.backbone.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** @deprecated on a {@link dev.tally.backbone.tx.Tx}: {@link TxEventHandler}. Applies one event inside the transaction that also records it as applied. */
@Deprecated
@FunctionalInterface
public interface EventHandler {
    Uni<Void> apply(SqlConnection tx, InboundEvent event);
}
