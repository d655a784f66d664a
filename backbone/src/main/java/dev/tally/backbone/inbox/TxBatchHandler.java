package dev.tally.backbone.inbox;

import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Applies a batch of events inside the transaction ({@link Tx}) that also records them as applied.
 * The events are new to the consumer, each once, in the order they were consumed (per partition, so
 * per account). The same handler is called with one event at a time when a batch has to be retried
 * record by record.
 */
@FunctionalInterface
public interface TxBatchHandler {
    Uni<Void> applyAll(Tx tx, List<InboundEvent> events);

    /** A batch handler that applies one event after the other with {@code handler} (never two at once: a session allows one). */
    static TxBatchHandler each(TxEventHandler handler) {
        return (tx, events) -> events.size() == 1
                ? handler.apply(tx, events.get(0))
                : Multi.createFrom().iterable(events).onItem().transformToUniAndConcatenate(e -> handler.apply(tx, e))
                        .collect().last().replaceWithVoid();
    }
}
