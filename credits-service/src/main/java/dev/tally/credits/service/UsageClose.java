package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;

/**
 * Closes a period's overage when the scheduler says {@code usage.close-due}: sums the open overage
 * recorded before the close, prices it at the plan's block price (half-even to the minor unit),
 * marks it closed and hands it to billing as {@code usage.closed}. Once per (subscription, period):
 * a repeat finds the close and does nothing; usage recorded after the close stays open for the next.
 */
@ApplicationScoped
public class UsageClose {
    private final LedgerRepository ledger;
    private final Outbox outbox;
    private final TallyClock clock;

    public UsageClose(LedgerRepository ledger, Outbox outbox, TallyClock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<Void> close(SqlConnection tx, UsageCloseDue due) {
        var now = clock.instant();
        return ledger.lockAccount(tx, due.accountId(), now).flatMap(terms -> tx.preparedQuery(
                        "UPDATE overage_usage SET closed_for_period_end = $2 WHERE account_id = $1 AND closed_for_period_end IS NULL "
                                + "AND created_at < $3 RETURNING credits")
                .execute(Tuple.of(due.accountId(), due.periodEnd().atOffset(ZoneOffset.UTC), due.closeAt().atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    long overage = 0;
                    for (var r : rows) {
                        overage += r.getLong(0);
                    }
                    var o = terms.overage();
                    long amount = o.unitCredits() <= 0 ? 0 : BigDecimal.valueOf(overage).multiply(BigDecimal.valueOf(o.unitPriceMinor()))
                            .divide(BigDecimal.valueOf(o.unitCredits()), 0, RoundingMode.HALF_EVEN).longValueExact();
                    var closed = new UsageClosed(due.subscriptionId(), due.accountId(), due.periodStart(), due.periodEnd(), 0, overage,
                            amount, o.currency(), now);
                    return tx.preparedQuery("INSERT INTO usage_close (subscription_id, period_end, account_id, overage_credits, amount_minor, "
                                    + "currency, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                            .execute(Tuple.from(java.util.Arrays.asList(due.subscriptionId(), due.periodEnd().atOffset(ZoneOffset.UTC),
                                    due.accountId(), overage, amount, o.currency(), now.atOffset(ZoneOffset.UTC))))
                            .flatMap(inserted -> inserted.rowCount() == 0
                                    ? Uni.createFrom().voidItem() // this period was closed already
                                    : outbox.add(tx, OutgoingEvent.forAccount(Events.USAGE_CLOSED, due.accountId(), closed, now)));
                }));
    }
}
