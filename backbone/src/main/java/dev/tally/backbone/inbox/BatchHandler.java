package dev.tally.backbone.inbox;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;

/**
 * @deprecated on a {@link dev.tally.backbone.tx.Tx}: {@link TxBatchHandler}.
 * Applies a batch of events inside the transaction that also records them as applied. The events
 * are new to the consumer, each once, in the order they were consumed (per partition, so per account).
 * The same handler is called with one event at a time when a batch has to be retried record by record.
 */
@Deprecated
@FunctionalInterface
public interface BatchHandler {
    Uni<Void> applyAll(SqlConnection tx, List<InboundEvent> events);

    /** A batch handler that applies one event after the other with {@code handler}. */
    static BatchHandler each(EventHandler handler) {
        return (tx, events) -> events.size() == 1
                ? handler.apply(tx, events.get(0))
                : Multi.createFrom().iterable(events).onItem().transformToUniAndConcatenate(e -> handler.apply(tx, e))
                        .collect().last().replaceWithVoid();
    }
}
