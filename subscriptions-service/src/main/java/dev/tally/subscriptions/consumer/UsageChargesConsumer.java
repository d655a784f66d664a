package dev.tally.subscriptions.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.subscriptions.service.AutoTopupPurchases;
import dev.tally.subscriptions.service.UsageBills;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Bills closed overage: a {@code usage.closed} from credits-service becomes a charge line for its
 * period (billed at cycle end, also after a cancel), once, with the gateway's payment reference. A
 * period billed in arrears takes it onto its invoice instead, collected with it on the billing date.
 * The gateway is called after the event's transaction commits, never inside it ({@link UsageBills}).
 * A {@code credits.auto-topup-requested} is recorded once, to be paid by {@link AutoTopupPurchases}.
 */
@ApplicationScoped
public class UsageChargesConsumer {
    private final Inbox inbox;
    private final UsageBills bills;
    private final AutoTopupPurchases autoTopups;

    public UsageChargesConsumer(Inbox inbox, UsageBills bills, AutoTopupPurchases autoTopups) {
        this.inbox = inbox;
        this.autoTopups = autoTopups;
        this.bills = bills;
    }

    @Incoming("credits")
    public Uni<Void> consume(Message<String> message) {
        // one record per transaction (not a batch): the bill it records is paid as soon as it commits
        AtomicReference<UsageBills.Due> recorded = new AtomicReference<>();
        return inbox.consume("subscriptions-service", Tx.Kind.CONNECTION, message,
                        t -> t.equals(Events.USAGE_CLOSED) || t.equals(Events.AUTO_TOPUP_REQUESTED),
                        (tx, event) -> event.is(Events.AUTO_TOPUP_REQUESTED) ? autoTopups.requested(tx, event.payload(Events.AUTO_TOPUP_REQUESTED))
                                : bills.closed(tx, event.payload(Events.USAGE_CLOSED)).invoke(recorded::set).replaceWithVoid())
                .call(() -> recorded.get() == null ? Uni.createFrom().voidItem() : bills.pay(recorded.get()));
    }
}
