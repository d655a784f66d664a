package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.contracts.Events;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.ParkedEvents;
import dev.tally.credits.repository.ParkedEvents.Parked;
import dev.tally.credits.repository.ParkedEvents.ToPark;
import dev.tally.credits.repository.SubscriptionTermsRepository;
import io.smallrye.mutiny.Multi;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The scheduler's commands ({@code credit-period.ended}, {@code usage.close-due}), applied by the
 * period they name. They travel on another topic than the subscription events they follow from, so
 * one may arrive before the event that starts its period has been applied here (that event late,
 * or parked behind a gap): such a command waits, parked, until the account's period reaches it,
 * and is applied then. A command for a period the account has left is late: a credit period's
 * grant is a no-op then, a usage close still closes its period (once: usage_close's key).
 */
@ApplicationScoped
public class BillingCommands {
    private static final Logger LOG = Logger.getLogger(BillingCommands.class);
    private final LedgerRepository ledger;
    private final SubscriptionTermsRepository subscriptions;
    private final ParkedEvents parked;
    private final UsageClose usage;
    private final CreditPeriodCredits creditPeriods;
    private final TallyClock clock;

    public BillingCommands(LedgerRepository ledger, SubscriptionTermsRepository subscriptions, ParkedEvents parked, UsageClose usage,
                           CreditPeriodCredits creditPeriods, TallyClock clock) {
        this.ledger = ledger;
        this.subscriptions = subscriptions;
        this.parked = parked;
        this.usage = usage;
        this.creditPeriods = creditPeriods;
        this.clock = clock;
    }

    /** A batch of commands: every account is locked first, in account order (as every other path), then each command in turn. */
    public Uni<Void> applyAll(Tx tx, List<InboundEvent> events) {
        SqlConnection db = tx.connection();
        List<String> accounts = events.stream().map(BillingCommands::accountId).distinct().toList();
        return ledger.lockAccounts(db, accounts, clock.instant())
                .flatMap(locked -> Multi.createFrom().iterable(events).onItem().transformToUniAndConcatenate(e -> applyOrPark(tx, e))
                        .collect().last().replaceWithVoid());
    }

    /** Parked commands of accounts whose subscription just moved on (their locks held): those whose period has come are applied. */
    Uni<Void> retry(Tx tx, List<Parked> commands) {
        SqlConnection db = tx.connection();
        return Multi.createFrom().iterable(commands).onItem().transformToUniAndConcatenate(p -> ahead(tx, p.event())
                        .flatMap(wait -> wait ? Uni.createFrom().voidItem() : apply(tx, p.event()).call(x -> parked.remove(db, List.of(p.seq())))))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> applyOrPark(Tx tx, InboundEvent event) {
        SqlConnection db = tx.connection();
        return ahead(tx, event).flatMap(wait -> {
            if (!wait) {
                return apply(tx, event);
            }
            LOG.infof("%s %s for account %s names a period its subscription events have not reached here yet: parked until they have",
                    event.type().name(), event.id(), accountId(event));
            return parked.park(db, List.of(new ToPark(accountId(event), null, event)), clock.instant());
        });
    }

    private Uni<Void> apply(Tx tx, InboundEvent event) {
        return event.is(Events.USAGE_CLOSE_DUE) ? usage.close(tx, event.payload(Events.USAGE_CLOSE_DUE))
                : creditPeriods.apply(tx, event.payload(Events.CREDIT_PERIOD_ENDED));
    }

    /**
     * Whether the command's period lies ahead of the account's applied one. A subscription's period
     * start never moves back from one revision to the next (a renewal starts at the old end, an
     * immediate change now, a prorated change keeps the period), so an earlier start is an older state.
     */
    private Uni<Boolean> ahead(Tx tx, InboundEvent event) {
        SqlConnection db = tx.connection();
        Instant start = event.is(Events.USAGE_CLOSE_DUE) ? event.payload(Events.USAGE_CLOSE_DUE).periodStart()
                : event.payload(Events.CREDIT_PERIOD_ENDED).periodStart();
        return subscriptions.find(db, accountId(event)).map(found -> found.isEmpty() || found.get().periodStart().isBefore(start));
    }

    static String accountId(InboundEvent event) {
        return event.is(Events.USAGE_CLOSE_DUE) ? event.payload(Events.USAGE_CLOSE_DUE).accountId()
                : event.payload(Events.CREDIT_PERIOD_ENDED).accountId();
    }
}
