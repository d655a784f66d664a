package dev.tally.credits.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.credits.service.BillingCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The scheduler's commands this service owns: {@code usage.close-due} and {@code credit-period.ended}, each applied once, a polled batch in one transaction on a pooled connection (native, set-based). */
@ApplicationScoped
public class BillingCommandsConsumer {
    private final Inbox inbox;
    private final BillingCommands commands;

    public BillingCommandsConsumer(Inbox inbox, BillingCommands commands) {
        this.inbox = inbox;
        this.commands = commands;
    }

    @Incoming("billing-commands")
    public Uni<Void> consume(Message<java.util.List<String>> batch) {
        return inbox.consumeBatch("credits-service", Tx.Kind.CONNECTION, batch, t -> t.equals(Events.USAGE_CLOSE_DUE) || t.equals(Events.CREDIT_PERIOD_ENDED),
                commands::applyAll);
    }
}
