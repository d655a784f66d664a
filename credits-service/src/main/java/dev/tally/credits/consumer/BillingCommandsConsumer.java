package dev.tally.credits.consumer;

import dev.tally.backbone.inbox.BatchHandler;
import dev.tally.backbone.inbox.Inbox;
import dev.tally.contracts.Events;
import dev.tally.credits.service.CreditPeriodCredits;
import dev.tally.credits.service.UsageClose;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The scheduler's commands this service owns: {@code usage.close-due} and {@code credit-period.ended}, each applied once. */
@ApplicationScoped
public class BillingCommandsConsumer {
    private final Inbox inbox;
    private final UsageClose usage;
    private final CreditPeriodCredits creditPeriods;

    public BillingCommandsConsumer(Inbox inbox, UsageClose usage, CreditPeriodCredits creditPeriods) {
        this.inbox = inbox;
        this.usage = usage;
        this.creditPeriods = creditPeriods;
    }

    @Incoming("billing-commands")
    public Uni<Void> consume(Message<java.util.List<String>> batch) {
        return inbox.consumeBatch("credits-service", batch, t -> t.equals(Events.USAGE_CLOSE_DUE) || t.equals(Events.CREDIT_PERIOD_ENDED),
                BatchHandler.each((tx, event) -> event.is(Events.USAGE_CLOSE_DUE)
                        ? usage.close(tx, event.payload(Events.USAGE_CLOSE_DUE))
                        : creditPeriods.apply(tx, event.payload(Events.CREDIT_PERIOD_ENDED))));
    }
}
