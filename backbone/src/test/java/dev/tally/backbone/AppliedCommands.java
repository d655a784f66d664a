package dev.tally.backbone;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.inbox.PoisonMessage;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A test consumer: records each period.ended command it applies; an account id "poison" is refused. */
@ApplicationScoped
public class AppliedCommands {
    private final Inbox inbox;

    public AppliedCommands(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("commands")
    public Uni<Void> consume(Message<String> message) {
        var applied = new java.util.concurrent.atomic.AtomicReference<String>();
        return inbox.consume("backbone-test", message, (tx, event) -> {
            applied.set(event.id());
            PeriodEnded command = event.payload(Events.PERIOD_ENDED);
            if ("poison".equals(command.accountId())) {
                throw new PoisonMessage("refused by the test handler");
            }
            return tx.preparedQuery("INSERT INTO applied_command (event_id, subscription_id, account_id) VALUES ($1, $2, $3)")
                    .execute(Tuple.of(event.id(), command.subscriptionId(), command.accountId())).replaceWithVoid();
        }).invoke(() -> {
            if (applied.get() != null) {
                dev.tally.backbone.bench.LatencyProbe.applied(applied.get()); // after the inbox commit
            }
        });
    }
}
