package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState.Status;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.notify.Notifications;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * What the payment provider tells about an account's payments, applied to its subscription: a failed
 * payment makes it past due (the plan stays during the grace period), a payment made restores it,
 * and when the grace runs out (or the provider ends the subscription) the account reverts to the
 * free plan now, with an email. Each writes the subscription and its event in the caller's transaction.
 */
@ApplicationScoped
public class PaymentStanding {
    private final SubscriptionRepository subscriptions;
    private final SubscriptionService lifecycle;
    private final PlanLookup plans;
    private final Notifications notifications;
    private final Outbox outbox;
    private final TallyClock clock;

    public PaymentStanding(SubscriptionRepository subscriptions, SubscriptionService lifecycle, PlanLookup plans,
                           Notifications notifications, Outbox outbox, TallyClock clock) {
        this.subscriptions = subscriptions;
        this.lifecycle = lifecycle;
        this.plans = plans;
        this.notifications = notifications;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<Void> pastDue(Tx tx, String accountId) {
        return apply(tx, accountId, s -> s.status() == Status.ACTIVE ? s.pastDue() : null, Events.SUBSCRIPTION_PAST_DUE);
    }

    public Uni<Void> recovered(Tx tx, String accountId) {
        return apply(tx, accountId, s -> s.status() == Status.PAST_DUE ? s.paid() : null, Events.SUBSCRIPTION_PAYMENT_RECOVERED);
    }

    /** Ends the paid plan now; an account already on the free plan is left as it is. */
    public Uni<Void> revertToFreeNow(Tx tx, String accountId) {
        return plans.defaultFree().flatMap(free -> subscriptions.lock(tx.connection(), accountId).flatMap(found -> {
            if (found.isEmpty() || found.get().planCode().equals(free.code())) {
                return Uni.createFrom().voidItem();
            }
            Subscription s = found.get();
            Subscription after = s.revertToFreeNow(PlanTerms.from(free), clock.instant());
            return subscriptions.save(tx.connection(), after)
                    .call(x -> notifications.revertedToFree(tx, accountId, s.planCode(), free.code(), after.period().start()))
                    .call(x -> announce(tx, after, Events.SUBSCRIPTION_REVERTED_TO_FREE));
        }));
    }

    private Uni<Void> apply(Tx tx, String accountId, Function<Subscription, Subscription> rule, EventType<SubscriptionEvent> type) {
        return subscriptions.lock(tx.connection(), accountId).flatMap(found -> {
            Subscription after = found.map(rule).orElse(null);
            if (after == null) {
                return Uni.createFrom().voidItem(); // already in that standing, or no subscription
            }
            return subscriptions.save(tx.connection(), after).call(x -> announce(tx, after, type));
        });
    }

    private Uni<Void> announce(Tx tx, Subscription s, EventType<SubscriptionEvent> type) {
        return lifecycle.state(s).flatMap(state -> outbox.add(tx, OutgoingEvent.forAccount(type, s.accountId(),
                new SubscriptionEvent(state, null), clock.instant())));
    }
}
