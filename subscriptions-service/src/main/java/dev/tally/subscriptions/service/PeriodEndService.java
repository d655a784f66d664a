package dev.tally.subscriptions.service;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.subscriptions.domain.ChangeDirections;
import dev.tally.subscriptions.domain.PeriodEndOutcome;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.notify.Notifications;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies the scheduler's {@code period.ended} through the domain's {@link Subscription#endPeriod}:
 * the cancellation (revert to Free, with an email), else the pending change, else a renewal, each
 * billing the new period. The command names the period it is about; if the subscription has moved
 * on (a repeat, or a late command) the domain ignores it and nothing changes.
 */
@ApplicationScoped
public class PeriodEndService {
    private final SubscriptionRepository subscriptions;
    private final SubscriptionService lifecycle;
    private final PlanLookup plans;
    private final Billing billing;
    private final Notifications notifications;
    private final Outbox outbox;

    public PeriodEndService(SubscriptionRepository subscriptions, SubscriptionService lifecycle, PlanLookup plans,
                            Billing billing, Notifications notifications, Outbox outbox) {
        this.subscriptions = subscriptions;
        this.lifecycle = lifecycle;
        this.plans = plans;
        this.billing = billing;
        this.notifications = notifications;
        this.outbox = outbox;
    }

    public Uni<Void> apply(SqlConnection tx, PeriodEnded command) {
        return subscriptions.lock(tx, command.accountId()).flatMap(found -> {
            if (found.isEmpty() || !found.get().id().equals(command.subscriptionId())) {
                return Uni.createFrom().voidItem();
            }
            Subscription s = found.get();
            return plans.version(s.planCode(), s.planVersion()).flatMap(from -> next(s).flatMap(next -> {
                PeriodEndOutcome outcome = s.endPeriod(command.periodEnd(), PlanTerms.from(next));
                if (outcome.ignored()) {
                    return Uni.createFrom().voidItem(); // stale or repeated: that period was dealt with already
                }
                Subscription after = outcome.subscription();
                var paid = outcome.settlement().paid();
                Uni<Void> saved = subscriptions.save(tx, after)
                        .call(x -> billing.billPeriod(tx, after, outcome.charges(), paid, after.period().start()));
                return switch (outcome.kind()) {
                    case RENEWED -> saved.call(x -> announce(tx, after, Events.SUBSCRIPTION_RENEWED, null));
                    case CHANGED -> saved.call(x -> announce(tx, after, Events.SUBSCRIPTION_PLAN_CHANGED, change(s, from, next)));
                    case REVERTED_TO_FREE -> saved
                            .call(x -> notifications.revertedToFree(tx, s.accountId(), s.planCode(), next.code(), after.period().start()))
                            .call(x -> announce(tx, after, Events.SUBSCRIPTION_REVERTED_TO_FREE, change(s, from, next)));
                    case IGNORED -> Uni.createFrom().voidItem();
                };
            }));
        });
    }

    /** The plan version the next period runs on: the free plan after a cancel, the pending one, or the one in force. */
    private Uni<PlanSnapshot> next(Subscription s) {
        return switch (s.atPeriodEnd()) {
            case REVERTED_TO_FREE -> plans.defaultFree();
            case CHANGED -> plans.version(s.pendingChange().planCode(), s.pendingChange().planVersion());
            default -> plans.version(s.planCode(), s.planVersion());
        };
    }

    private static PlanChange change(Subscription before, PlanSnapshot from, PlanSnapshot to) {
        var direction = ChangeDirections.between(PlanTerms.from(from), before.interval(), PlanTerms.from(to),
                before.pending().map(p -> p.interval()).orElse(before.interval()));
        return new PlanChange(from.code(), from.version(), SubscriptionService.credits(from), ChangeTiming.END_OF_PERIOD, direction,
                0, before.period().seconds());
    }

    private Uni<Void> announce(SqlConnection tx, Subscription s, EventType<SubscriptionEvent> type, PlanChange change) {
        return lifecycle.state(s).flatMap(state -> outbox.add(tx, OutgoingEvent.forAccount(type, s.accountId(),
                new SubscriptionEvent(state, change), s.period().start())));
    }
}
