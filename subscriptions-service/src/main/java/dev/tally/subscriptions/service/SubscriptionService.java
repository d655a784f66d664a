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
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import dev.tally.subscriptions.repository.SubscriptionHistory;
import dev.tally.subscriptions.repository.SubscriptionRecordRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Every account starts on the default free plan: explicitly, or on its first read. Starting writes
 * the subscription and its {@code subscription.started} event in one transaction. The account's
 * subscription is read through Hibernate ({@link SubscriptionRecordRepository}), outside any
 * transaction, as a change is decided on it.
 */
@ApplicationScoped
public class SubscriptionService {
    private final Transactions transactions;
    private final SubscriptionRecordRepository records;
    private final SubscriptionRepository subscriptions;
    private final PlanLookup plans;
    private final Outbox outbox;
    private final TallyClock clock;
    private final SubscriptionHistory history;

    public SubscriptionService(Transactions transactions, SubscriptionRecordRepository records, SubscriptionRepository subscriptions,
                               PlanLookup plans, Outbox outbox, TallyClock clock, SubscriptionHistory history) {
        this.history = history;
        this.transactions = transactions;
        this.records = records;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The account's subscription with the terms of its plan version; started on the free plan if it has none. */
    @WithSession
    public Uni<SubscriptionState> current(String accountId) {
        return records.subscription(accountId).flatMap(found -> found.isPresent()
                ? state(found.get())
                : transactions.inSession(tx -> start(tx, accountId)));
    }

    /** The subscription's plan changes, newest first (at most 200), with who made each when support did, and why. */
    public Uni<java.util.List<SubscriptionHistory.Entry>> history(String accountId) {
        return history.of(accountId);
    }

    /**
     * Starts the account on the default free plan; an account that has a subscription keeps it. On a
     * session transaction through Hibernate; on a connection transaction (a Stripe webhook's, which
     * applies a change the provider made) with the same statements in native SQL.
     */
    public Uni<SubscriptionState> start(Tx tx, String accountId) {
        return plans.defaultFree().flatMap(plan -> {
            Instant now = clock.instant();
            Subscription started = Subscription.start(UUID.randomUUID(), accountId, PlanTerms.from(plan), now);
            Uni<Boolean> inserted = tx.onSession() ? records.insertIfAbsent(started, now)
                    : subscriptions.insertIfAbsent(tx.connection(), started, now);
            return inserted.flatMap(created -> {
                if (!created) {
                    return find(tx, accountId).flatMap(existing -> state(existing.orElseThrow()));
                }
                SubscriptionState state = state(started, plan);
                return outbox.add(tx, OutgoingEvent.forAccount(Events.SUBSCRIPTION_STARTED, accountId,
                        new SubscriptionEvent(state, null), now)).replaceWith(state);
            });
        });
    }

    private Uni<Optional<Subscription>> find(Tx tx, String accountId) {
        return tx.onSession() ? records.subscription(accountId) : subscriptions.find(tx.connection(), accountId);
    }

    /** The account's subscription as stored, unlocked (started on the free plan if it has none): what a change is decided on. */
    @WithSession
    public Uni<Subscription> decidable(String accountId) {
        return records.subscription(accountId).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : transactions.inSession(tx -> start(tx, accountId)).flatMap(x -> records.subscription(accountId))
                        .map(again -> again.orElseThrow()));
    }

    /** Writes the event of a change of {@code s} to the outbox, in the transaction that saves it; the state it carries. */
    public Uni<SubscriptionState> announce(Tx tx, Subscription s, EventType<SubscriptionEvent> type, PlanChange change) {
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
        return new CreditTerms(plan.creditsPerPeriod(), plan.creditPeriod(), plan.dailyCredits(), plan.overage(), plan.rollover());
    }
}
