package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.notify.Notifications;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.payment.PaymentGateway.PlanChangeOrder;
import dev.tally.subscriptions.payment.PaymentGateway.Settlement;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Cancel at the period end (paid features stay until then, no further charges, then Free; a
 * confirmation email), resume, and dropping the pending change. As with {@link ChangeService}, each
 * is decided on the unlocked subscription, told to the payment provider outside any transaction
 * (its idempotency key names the revision the operation produces), then applied in one short
 * transaction that locks the row and refuses with 409 {@code subscription_changed} if it moved.
 * The same operations made at the provider (the Stripe portal) are applied in the webhook's
 * transaction, without telling the provider again ({@link #cancelledAtProvider}).
 */
@ApplicationScoped
public class Cancellations {
    private final SubscriptionRepository subscriptions;
    private final SubscriptionService lifecycle;
    private final PlanLookup plans;
    private final Billing billing;
    private final PaymentGateway payments;
    private final Notifications notifications;
    private final TallyClock clock;

    public Cancellations(SubscriptionRepository subscriptions, SubscriptionService lifecycle, PlanLookup plans,
                         Billing billing, PaymentGateway payments, Notifications notifications, TallyClock clock) {
        this.clock = clock;
        this.subscriptions = subscriptions;
        this.lifecycle = lifecycle;
        this.plans = plans;
        this.billing = billing;
        this.payments = payments;
        this.notifications = notifications;
    }

    enum Kind { CANCEL, RESUME, DROP_PENDING }

    /** An operation decided on {@code before} and told to the provider, to apply if the subscription is still at that revision. */
    public record Decided(Kind kind, Subscription before, Subscription after, String freePlan, PlanChangeOrder order,
                          Settlement settlement) {
    }

    public Uni<Decided> decideCancel(String accountId) {
        return lifecycle.decidable(accountId).flatMap(s -> plans.version(s.planCode(), s.planVersion()).flatMap(plan -> {
            Subscription cancelled = RuleProblems.decide(() -> s.cancelAtPeriodEnd(PlanTerms.from(plan)));
            return plans.defaultFree().flatMap(free -> payments.cancellationChanged(accountId, true, Billing.key(cancelled))
                    .replaceWith(new Decided(Kind.CANCEL, s, cancelled, free.code(), null, null)));
        }));
    }

    public Uni<Decided> decideResume(String accountId) {
        return lifecycle.decidable(accountId).flatMap(s -> {
            Subscription resumed = RuleProblems.decide(() -> s.resume(clock.instant()));
            return payments.cancellationChanged(accountId, false, Billing.key(resumed))
                    .replaceWith(new Decided(Kind.RESUME, s, resumed, null, null, null));
        });
    }

    /** Drops the pending change; the provider goes back to billing the plan in force. */
    public Uni<Decided> decideDropPending(String accountId) {
        return lifecycle.decidable(accountId).flatMap(s -> {
            Subscription after = RuleProblems.decide(s::cancelPendingChange).subscription();
            return billing.order(after, after.planCode(), after.planVersion(), after.interval(), ChangeTiming.END_OF_PERIOD, 0,
                            after.balance().balance().currency(), clock.instant())
                    .flatMap(order -> payments.planChanged(order)
                            .map(settlement -> new Decided(Kind.DROP_PENDING, s, after, null, order, settlement)));
        });
    }

    /**
     * Applies what was decided if the subscription is still at the revision it was decided on (else
     * 409 {@code subscription_changed}), on a connection {@code Tx} (its native statements run on {@code tx.connection()}).
     */
    public Uni<SubscriptionState> apply(Tx tx, Decided d) {
        Subscription after = d.after();
        // the gateway's rows first: Stripe's webhook locks its link before the subscription, and so does this
        Uni<Void> recorded = d.kind() == Kind.DROP_PENDING ? payments.planChangeRecorded(tx, d.order(), d.settlement())
                : payments.cancellationRecorded(tx, after.accountId(), d.kind() == Kind.CANCEL);
        // saved by one statement that takes the row's lock, only if still at the revision decided on; read only if it moved
        return recorded.flatMap(x -> subscriptions.saveIfUnmoved(tx.connection(), after, null)).flatMap(saved -> saved
                ? told(tx, d.kind(), d.before(), after, d.freePlan())
                : subscriptions.lock(tx.connection(), after.accountId()).flatMap(found -> {
                    Subscription now = found.orElseThrow();
                    if (Revisions.same(now, after)) {
                        return lifecycle.state(now);
                    }
                    throw Revisions.changed(d.before(), now);
                }));
    }

    /** A cancel or resume made at the payment provider (the Stripe portal): applied in the caller's transaction, the provider not told again. */
    public Uni<SubscriptionState> cancelledAtProvider(Tx tx, String accountId, boolean cancelAtPeriodEnd) {
        return subscriptions.lock(tx.connection(), accountId).flatMap(found -> {
            Subscription s = found.orElseThrow();
            if (!cancelAtPeriodEnd) {
                return save(tx, Kind.RESUME, s, RuleProblems.decide(() -> s.resume(clock.instant())), null);
            }
            return plans.version(s.planCode(), s.planVersion()).flatMap(plan -> plans.defaultFree().flatMap(free ->
                    save(tx, Kind.CANCEL, s, RuleProblems.decide(() -> s.cancelAtPeriodEnd(PlanTerms.from(plan))), free.code())));
        });
    }

    private Uni<SubscriptionState> save(Tx tx, Kind kind, Subscription before, Subscription after, String freePlan) {
        return subscriptions.save(tx.connection(), after).flatMap(x -> told(tx, kind, before, after, freePlan));
    }

    /** What follows a saved cancel, resume or dropped change: the confirmation email of a cancel, and the event. */
    private Uni<SubscriptionState> told(Tx tx, Kind kind, Subscription before, Subscription after, String freePlan) {
        return switch (kind) {
            case CANCEL -> notifications.cancelConfirmed(tx, after.accountId(), before.planCode(), after.period().end(), freePlan)
                    .flatMap(x -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_CANCEL_SCHEDULED, null));
            case RESUME -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_RESUMED, null);
            case DROP_PENDING -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_CHANGE_CANCELLED, null);
        };
    }
}
