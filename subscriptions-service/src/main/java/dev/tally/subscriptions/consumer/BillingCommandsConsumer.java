package dev.tally.subscriptions.consumer;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.subscriptions.service.ArrearsBilling;
import dev.tally.subscriptions.service.PeriodEndService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The scheduler's commands this service owns, each applied once, a polled batch in one transaction,
 * in order: {@code period.ended} (runs of them applied together) and {@code usage.close-due} (the
 * period's charges in arrears computed).
 */
@ApplicationScoped
public class BillingCommandsConsumer {
    private final Inbox inbox;
    private final PeriodEndService periodEnds;
    private final ArrearsBilling arrears;

    public BillingCommandsConsumer(Inbox inbox, PeriodEndService periodEnds, ArrearsBilling arrears) {
        this.inbox = inbox;
        this.periodEnds = periodEnds;
        this.arrears = arrears;
    }

    @Incoming("billing-commands")
    public Uni<Void> consume(Message<List<String>> batch) {
        return inbox.consumeBatch("subscriptions-service", Tx.Kind.CONNECTION, batch, t -> t.equals(Events.PERIOD_ENDED) || t.equals(Events.USAGE_CLOSE_DUE),
                this::apply);
    }

    /** Applies the events in order: consecutive period ends as one batch, each usage close on its own. */
    Uni<Void> apply(Tx tx, List<InboundEvent> events) {
        List<List<InboundEvent>> runs = new ArrayList<>();
        for (InboundEvent e : events) {
            boolean periodEnd = e.is(Events.PERIOD_ENDED);
            List<InboundEvent> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (periodEnd && last != null && last.get(0).is(Events.PERIOD_ENDED)) {
                last.add(e);
            } else {
                runs.add(new ArrayList<>(List.of(e)));
            }
        }
        return Multi.createFrom().iterable(runs).onItem().transformToUniAndConcatenate(run -> run.get(0).is(Events.PERIOD_ENDED)
                        ? periodEnds.applyAll(tx, run.stream().map(e -> e.payload(Events.PERIOD_ENDED)).toList())
                        : arrears.close(tx, run.get(0).payload(Events.USAGE_CLOSE_DUE)))
                .collect().last().replaceWithVoid();
    }
}
