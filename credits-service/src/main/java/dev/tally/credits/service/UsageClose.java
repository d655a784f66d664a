package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.credits.domain.OverageClose;
import dev.tally.credits.repository.BalanceAlertRepository;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.OverageRepository;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Closes a period's overage when the scheduler says {@code usage.close-due}: the open overage
 * recorded before the close is closed and priced (credits-domain's OverageClose: the cut-off, and
 * the half-even block price) and handed to billing as {@code usage.closed}. Once per (subscription,
 * period): a repeat finds the close and does nothing; usage recorded after the close stays open for the next.
 */
@ApplicationScoped
public class UsageClose {
    private final LedgerRepository ledgers;
    private final OverageRepository overage;
    private final Outbox outbox;
    private final TallyClock clock;
    private final BalanceAlertRepository alerts;

    public UsageClose(LedgerRepository ledgers, OverageRepository overage, Outbox outbox, TallyClock clock, BalanceAlertRepository alerts) {
        this.alerts = alerts;
        this.ledgers = ledgers;
        this.overage = overage;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<Void> close(Tx tx, UsageCloseDue due) {
        SqlConnection db = tx.connection();
        var now = clock.instant();
        return ledgers.lockAccount(db, due.accountId(), now).flatMap(terms -> overage.open(db, due.accountId()).flatMap(open -> {
            OverageClose.Closing closing = OverageClose.close(open, due.closeAt(), terms.overage());
            var closed = new UsageClosed(due.subscriptionId(), due.accountId(), due.periodStart(), due.periodEnd(), 0, closing.credits(),
                    closing.amountMinor(), terms.overage().currency(), now);
            return overage.close(db, closed, closing.usageIds()).flatMap(first -> !first
                    ? Uni.createFrom().voidItem() // this period was closed already
                    : outbox.add(tx, OutgoingEvent.forAccount(Events.USAGE_CLOSED, due.accountId(), closed, now))
                            .call(x -> alerts.rearmOverage(db, due.accountId()))); // the open overage starts again
        }));
    }
}
