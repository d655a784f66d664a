package dev.tally.credits.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.credits.service.AutoTopupPayments;
import dev.tally.credits.service.SubscriptionCredits;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Subscription events, top-up purchases and their refunds, and auto top-ups' failed payments, each applied once, a polled
 * batch in one transaction (on a pooled connection: the ledgers' writes are set-based native statements). With a failed payment in the batch, every account of the batch is locked
 * first, in account order (the order of every path), before the ledgers and the auto top-ups are touched.
 */
@ApplicationScoped
public class SubscriptionEventsConsumer {
    private final Inbox inbox;
    private final SubscriptionCredits credits;
    private final AutoTopupPayments autoTopups;

    public SubscriptionEventsConsumer(Inbox inbox, SubscriptionCredits credits, AutoTopupPayments autoTopups) {
        this.inbox = inbox;
        this.credits = credits;
        this.autoTopups = autoTopups;
    }

    @Incoming("subscriptions")
    public Uni<Void> consume(Message<List<String>> batch) {
        return inbox.consumeBatch("credits-service", Tx.Kind.CONNECTION, batch,
                t -> t.payloadType() == SubscriptionEvent.class || t.equals(Events.TOPUP_REFUNDED) || AutoTopupPayments.HANDLED.contains(t), this::apply);
    }

    private Uni<Void> apply(Tx tx, List<InboundEvent> events) {
        List<InboundEvent> ledgerEvents = events.stream().filter(e -> !e.is(Events.AUTO_TOPUP_PAYMENT_FAILED)).toList();
        Uni<Void> locked = ledgerEvents.size() == events.size() ? Uni.createFrom().voidItem() // credits.applyAll locks them
                : autoTopups.lockAccounts(tx, events);
        return locked.flatMap(x -> ledgerEvents.isEmpty() ? Uni.createFrom().voidItem() : credits.applyAll(tx, ledgerEvents))
                .flatMap(x -> autoTopups.applyAll(tx, events));
    }
}
