package dev.tally.backbone;

import dev.tally.backbone.inbox.Inbox;
import dev.tally.backbone.inbox.PoisonMessage;
import dev.tally.backbone.inbox.TxBatchHandler;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A test consumer, in batches as the services' busy channels are: records each period.ended command
 * it applies; an account id "poison" is refused; an account id starting "flaky" fails once (as a
 * database hiccup would), then applies.
 */
@ApplicationScoped
public class AppliedCommands {
    private static final java.util.Set<String> FAILED_ONCE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Inbox inbox;

    public AppliedCommands(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("commands")
    public Uni<Void> consume(Message<List<String>> batch) {
        List<String> applied = new CopyOnWriteArrayList<>();
        return inbox.consumeBatch("backbone-test", Tx.Kind.CONNECTION, batch, Events.PERIOD_ENDED::equals, TxBatchHandler.each((tx, event) -> {
            PeriodEnded command = event.payload(Events.PERIOD_ENDED);
            if ("poison".equals(command.accountId())) {
                throw new PoisonMessage("refused by the test handler");
            }
            if (command.accountId().startsWith("flaky") && FAILED_ONCE.add(event.id())) {
                throw new IllegalStateException("a transient failure, the first time only");
            }
            return tx.connection().preparedQuery("INSERT INTO applied_command (event_id, subscription_id, account_id) VALUES ($1, $2, $3)")
                    .execute(Tuple.of(event.id(), command.subscriptionId(), command.accountId()))
                    .invoke(() -> applied.add(event.id())).replaceWithVoid();
        })).invoke(() -> applied.forEach(dev.tally.backbone.bench.LatencyProbe::applied)); // after the inbox commit
    }
}
