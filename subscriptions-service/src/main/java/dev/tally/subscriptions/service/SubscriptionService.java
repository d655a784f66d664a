package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.domain.PendingChange;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.repository.SubscriptionHistory;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Every account starts on the default free plan: explicitly, or on its first read. Starting writes
 * the subscription and its {@code subscription.started} event in one transaction.
 */
@ApplicationScoped
public class SubscriptionService {
    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final PlanLookup plans;
    private final Outbox outbox;
    private final TallyClock clock;
    private final SubscriptionHistory history;

    public SubscriptionService(Pool pool, SubscriptionRepository subscriptions, PlanLookup plans, Outbox outbox, TallyClock clock,
                               SubscriptionHistory history) {
        this.history = history;
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The account's subscription with the terms of its plan version; started on the free plan if it has none. */
    public Uni<SubscriptionState> current(String accountId) {
        return subscriptions.find(pool, accountId).flatMap(found -> found.isPresent()
                ? state(found.get())
                : pool.withTransaction(tx -> start(tx, accountId)));
    }

    /** The subscription's plan changes, newest first (at most 200), with who made each when support did, and why. */
    public Uni<java.util.List<SubscriptionHistory.Entry>> history(String accountId) {
        return history.of(accountId);
    }

    /** Starts the account on the default free plan; an account that has a subscription keeps it. */
    public Uni<SubscriptionState> start(SqlConnection tx, String accountId) {
        return plans.defaultFree().flatMap(plan -> {
            Instant now = clock.instant();
            Subscription started = Subscription.start(UUID.randomUUID(), accountId, PlanTerms.from(plan), now);
            return subscriptions.insertIfAbsent(tx, started, now).flatMap(created -> {
                if (!created) {
                    return subscriptions.find(tx, accountId).flatMap(existing -> state(existing.orElseThrow()));
                }
                SubscriptionState state = state(started, plan);
                return outbox.add(tx, OutgoingEvent.forAccount(Events.SUBSCRIPTION_STARTED, accountId,
                        new SubscriptionEvent(state, null), now)).replaceWith(state);
            });
        });
    }

    /** The account's subscription as stored, unlocked (started on the free plan if it has none): what a change is decided on. */
    public Uni<Subscription> decidable(String accountId) {
        return subscriptions.find(pool, accountId).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : pool.withTransaction(tx -> start(tx, accountId)).flatMap(x -> subscriptions.find(pool, accountId))
                        .map(again -> again.orElseThrow()));
    }

    /** Writes the event of a change of {@code s} to the outbox, in the transaction that saves it; the state it carries. */
    public Uni<SubscriptionState> announce(SqlConnection tx, Subscription s, EventType<SubscriptionEvent> type, PlanChange change) {
        return state(s).call(state -> outbox.add(tx, OutgoingEvent.forAccount(type, s.accountId(),
                new SubscriptionEvent(state, change), clock.instant())));
    }

    public Uni<SubscriptionState> state(Subscription s) {
        return plans.version(s.planCode(), s.planVersion()).map(plan -> state(s, plan));
    }

    /** The shape responses and events carry: the subscription with the terms of the plan version in force. */
    static SubscriptionState state(Subscription s, PlanSnapshot plan) {
        return new SubscriptionState(s.id(), s.accountId(), s.planCode(), s.planVersion(), s.interval(), s.status(),
                s.period().start(), s.period().end(), s.cancelAtPeriodEnd(), s.pending().map(PendingChange::toView).orElse(null),
                credits(plan), plan.features(), plan.seatsIncluded(), s.revision(), plan.billingMode());
    }

    static CreditTerms credits(PlanSnapshot plan) {
        return new CreditTerms(plan.creditsPerPeriod(), plan.creditPeriod(), plan.dailyCredits(), plan.overage());
    }
}
