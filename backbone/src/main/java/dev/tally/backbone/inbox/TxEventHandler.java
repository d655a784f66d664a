package dev.tally.backbone.inbox;

import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;

/** Applies one event inside the transaction ({@link Tx}) that also records it as applied. */
@FunctionalInterface
public interface TxEventHandler {
    Uni<Void> apply(Tx tx, InboundEvent event);
}
