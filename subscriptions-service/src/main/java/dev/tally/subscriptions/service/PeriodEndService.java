package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.domain.CustomerBalance;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.Periods;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository.SubscriptionRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Applies the scheduler's {@code period.ended}: the cancellation (revert to Free), else the pending
 * change, else a renewal, each billing the new period. The command names the period it is about;
 * if the subscription has moved on (a repeat, or a late command) it changes nothing.
 */
@ApplicationScoped
public class PeriodEndService {
    private final SubscriptionRepository subscriptions;
    private final SubscriptionService lifecycle;
    private final Catalog catalog;
    private final Outbox outbox;

    public PeriodEndService(SubscriptionRepository subscriptions, SubscriptionService lifecycle, Catalog catalog, Outbox outbox) {
        this.subscriptions = subscriptions;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.outbox = outbox;
    }

    public Uni<Void> apply(SqlConnection tx, PeriodEnded command) {
        return subscriptions.lock(tx, command.accountId()).flatMap(found -> {
            if (found.isEmpty() || !found.get().id().equals(command.subscriptionId())
                    || !found.get().periodEnd().equals(command.periodEnd())) {
                return Uni.createFrom().voidItem(); // stale or repeated: that period was dealt with already
            }
            SubscriptionRow row = found.get();
            Instant end = row.periodEnd();
            if (row.cancelAtPeriodEnd()) {
                return catalog.defaultFreePlan().flatMap(free -> move(tx, row, free.orElseThrow(), BillingInterval.MONTH, end,
                        Events.SUBSCRIPTION_REVERTED_TO_FREE));
            }
            if (row.pending() != null) {
                return catalog.version(row.pending().planCode(), row.pending().planVersion()).flatMap(target ->
                        move(tx, row, target.orElseThrow(), row.pending().interval(), end, Events.SUBSCRIPTION_PLAN_CHANGED));
            }
            return catalog.version(row.planCode(), row.planVersion()).flatMap(plan -> {
                Instant next = Periods.nextEnd(row.anchor(), row.interval(), end);
                var renewed = new SubscriptionRow(row.id(), row.accountId(), row.planCode(), row.planVersion(), row.interval(),
                        row.status(), row.anchor(), end, next, false, null, row.balanceMinor(), row.revision() + 1);
                return bill(tx, renewed, plan.orElseThrow(), "renewal").flatMap(billed -> announce(tx, billed, Events.SUBSCRIPTION_RENEWED, null));
            });
        });
    }

    private Uni<Void> move(SqlConnection tx, SubscriptionRow row, PlanSnapshot target, BillingInterval interval, Instant end,
                           EventType<SubscriptionEvent> type) {
        var moved = new SubscriptionRow(row.id(), row.accountId(), target.code(), target.version(), interval,
                SubscriptionState.Status.ACTIVE, end, end, Periods.endOf(end, interval, 1), false, null, row.balanceMinor(), row.revision() + 1);
        return catalog.version(row.planCode(), row.planVersion()).flatMap(from -> bill(tx, moved, target, "first period of " + target.code())
                .flatMap(billed -> announce(tx, billed, type, new PlanChange(row.planCode(), row.planVersion(),
                        SubscriptionService.state(row, from.orElseThrow()).credits(), ChangeTiming.END_OF_PERIOD,
                        target.rank() >= from.get().rank() ? ChangeDirection.UPGRADE : ChangeDirection.DOWNGRADE, 0,
                        java.time.Duration.between(row.periodStart(), row.periodEnd()).toSeconds()))));
    }

    /** Charges the new period's price, the customer balance first; saves the subscription. */
    private Uni<SubscriptionRow> bill(SqlConnection tx, SubscriptionRow s, PlanSnapshot plan, String what) {
        PlanPrice price = ChangeQuoter.price(plan, s.interval());
        if (price == null || price.amountMinor() == 0) {
            return subscriptions.save(tx, s).replaceWith(s);
        }
        var settled = new CustomerBalance(new Money(s.balanceMinor(), price.currency())).settle(new Money(price.amountMinor(), price.currency()));
        var billed = new SubscriptionRow(s.id(), s.accountId(), s.planCode(), s.planVersion(), s.interval(), s.status(), s.anchor(),
                s.periodStart(), s.periodEnd(), s.cancelAtPeriodEnd(), s.pending(), settled.after().balance().minor(), s.revision());
        return subscriptions.save(tx, billed)
                .call(x -> subscriptions.charge(tx, billed, plan.code() + " " + what, s.periodStart(), s.periodEnd(),
                        price.amountMinor(), price.currency(), s.periodStart()))
                .replaceWith(billed);
    }

    private Uni<Void> announce(SqlConnection tx, SubscriptionRow row, EventType<SubscriptionEvent> type, PlanChange change) {
        return lifecycle.state(row).flatMap(state -> outbox.add(tx, OutgoingEvent.forAccount(type, row.accountId(),
                new SubscriptionEvent(state, change), row.periodStart())));
    }
}
