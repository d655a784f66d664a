package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.EventType;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.domain.ChangeOutcome;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.notify.Notifications;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.repository.PreviewRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.service.ChangeQuoter.Ask;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Previews and makes plan changes, cancels and resumes. Every operation locks the subscription row,
 * asks the domain's {@link Subscription} (which holds every rule), then saves the state it returns
 * (revision-checked), its charge lines and its event in one transaction.
 */
@ApplicationScoped
public class ChangeService {
    private final SubscriptionRepository subscriptions;
    private final PreviewRepository previews;
    private final SubscriptionService lifecycle;
    private final ChangeQuoter quoter;
    private final PlanLookup plans;
    private final Billing billing;
    private final PaymentGateway payments;
    private final Notifications notifications;
    private final Outbox outbox;
    private final TallyClock clock;

    public ChangeService(SubscriptionRepository subscriptions, PreviewRepository previews, SubscriptionService lifecycle,
                         ChangeQuoter quoter, PlanLookup plans, Billing billing, PaymentGateway payments,
                         Notifications notifications, Outbox outbox, TallyClock clock) {
        this.subscriptions = subscriptions;
        this.previews = previews;
        this.lifecycle = lifecycle;
        this.quoter = quoter;
        this.plans = plans;
        this.billing = billing;
        this.payments = payments;
        this.notifications = notifications;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Quotes a change and keeps the preview (on the caller's transaction) so a change can confirm it by id. */
    public Uni<ChangeQuote> preview(SqlConnection tx, String accountId, Ask ask, boolean asAdmin) {
        return current(tx, accountId, false).flatMap(s -> payments.hasPaymentMethod(tx, accountId)
                .flatMap(onFile -> quoter.request(s, ask, asAdmin, onFile))
                .flatMap(request -> quoter.quote(s, request, clock.instant()))
                .call(quote -> previews.save(tx, accountId, s.revision(), quote)));
    }

    /** Makes the change now (IMMEDIATE, IMMEDIATE_PRORATED) or schedules it for the period end. */
    public Uni<ChangeQuote> change(SqlConnection tx, String accountId, Ask ask, boolean asAdmin) {
        return change(tx, accountId, ask, asAdmin, null);
    }

    /**
     * A change the payment provider has already been paid for (Stripe Checkout) or has already made
     * (the Stripe customer portal): applied here with its charge lines, without billing it again.
     */
    public Uni<ChangeQuote> changePaidElsewhere(SqlConnection tx, String accountId, Ask ask, boolean asAdmin, String paymentRef) {
        return change(tx, accountId, ask, asAdmin, paymentRef);
    }

    private Uni<ChangeQuote> change(SqlConnection tx, String accountId, Ask ask, boolean asAdmin, String paidElsewhere) {
        return current(tx, accountId, true).flatMap(s -> confirmed(tx, s, ask)
                .flatMap(confirmed -> (paidElsewhere != null ? Uni.createFrom().item(true) : payments.hasPaymentMethod(tx, accountId))
                        .flatMap(onFile -> quoter.request(s, confirmed, asAdmin, onFile)))
                .flatMap(request -> {
                    var now = clock.instant();
                    ChangeOutcome outcome = RuleProblems.decide(() -> s.change(request, now));
                    var after = outcome.subscription();
                    var quote = outcome.quote();
                    Uni<Void> saved = subscriptions.save(tx, after);
                    if (!quote.takesEffectNow()) {
                        return saved.call(x -> order(after, quote.toPlanCode(), quote.toPlanVersion(), quote.toInterval(), quote.timing(), 0,
                                        quote.renewalPrice().currency()).flatMap(order -> payments.planChanged(tx, order)))
                                .call(x -> announce(tx, after, Events.SUBSCRIPTION_CHANGE_SCHEDULED, null))
                                .replaceWith(ChangeQuoter.view(quote, null, List.of(), now));
                    }
                    Uni<Void> billed = paidElsewhere != null ? billing.recordPaid(tx, after, quote.charges(), paidElsewhere, now)
                            : order(after, quote.toPlanCode(), quote.toPlanVersion(), quote.toInterval(), quote.timing(),
                                    quote.paidNow().minor(), quote.paidNow().currency())
                                    .flatMap(order -> billing.billChange(tx, after, quote.charges(), order, now));
                    return saved.call(x -> billed)
                            .call(x -> plans.version(s.planCode(), s.planVersion()).flatMap(from -> announce(tx, after,
                                    Events.SUBSCRIPTION_PLAN_CHANGED, new PlanChange(s.planCode(), s.planVersion(),
                                            SubscriptionService.credits(from), quote.timing(), quote.direction(),
                                            quote.proration().secondsLeft(), quote.proration().secondsInPeriod()))))
                            .replaceWith(ChangeQuoter.view(quote, null, List.of(), now));
                }));
    }

    public Uni<SubscriptionState> cancelPendingChange(SqlConnection tx, String accountId) {
        return current(tx, accountId, true).flatMap(s -> {
            var cancelled = RuleProblems.decide(s::cancelPendingChange);
            Subscription after = cancelled.subscription();
            return subscriptions.save(tx, after)
                    .call(x -> order(after, after.planCode(), after.planVersion(), after.interval(), ChangeTiming.END_OF_PERIOD, 0,
                            after.balance().balance().currency()).flatMap(order -> payments.planChanged(tx, order)))
                    .flatMap(x -> announce(tx, cancelled.subscription(), Events.SUBSCRIPTION_CHANGE_CANCELLED, null));
        });
    }

    /** Cancel at the period end: paid features stay until then, no further charges, then Free; a confirmation email. */
    public Uni<SubscriptionState> cancel(SqlConnection tx, String accountId) {
        return cancel(tx, accountId, true);
    }

    public Uni<SubscriptionState> resume(SqlConnection tx, String accountId) {
        return resume(tx, accountId, true);
    }

    /** A cancel or resume made at the payment provider (the Stripe portal): applied here without telling the provider again. */
    public Uni<SubscriptionState> cancelledAtProvider(SqlConnection tx, String accountId, boolean cancelAtPeriodEnd) {
        return cancelAtPeriodEnd ? cancel(tx, accountId, false) : resume(tx, accountId, false);
    }

    private Uni<SubscriptionState> cancel(SqlConnection tx, String accountId, boolean mirror) {
        return current(tx, accountId, true).flatMap(s -> plans.version(s.planCode(), s.planVersion()).flatMap(plan -> {
            Subscription cancelled = RuleProblems.decide(() -> s.cancelAtPeriodEnd(PlanTerms.from(plan)));
            return plans.defaultFree().flatMap(free -> subscriptions.save(tx, cancelled)
                    .call(x -> mirror ? payments.cancellationChanged(tx, accountId, true, Billing.key(cancelled)) : Uni.createFrom().voidItem())
                    .call(x -> notifications.cancelConfirmed(tx, accountId, s.planCode(), cancelled.period().end(), free.code()))
                    .flatMap(x -> announce(tx, cancelled, Events.SUBSCRIPTION_CANCEL_SCHEDULED, null)));
        }));
    }

    private Uni<SubscriptionState> resume(SqlConnection tx, String accountId, boolean mirror) {
        return current(tx, accountId, true).flatMap(s -> {
            Subscription resumed = RuleProblems.decide(() -> s.resume(clock.instant()));
            return subscriptions.save(tx, resumed)
                    .call(x -> mirror ? payments.cancellationChanged(tx, accountId, false, Billing.key(resumed)) : Uni.createFrom().voidItem())
                    .flatMap(x -> announce(tx, resumed, Events.SUBSCRIPTION_RESUMED, null));
        });
    }

    /** A change that confirms a preview becomes the previewed plan, interval and timing, if the preview still holds. */
    private Uni<Ask> confirmed(SqlConnection tx, Subscription s, Ask ask) {
        if (ask.previewId() == null) {
            return Uni.createFrom().item(ask);
        }
        return previews.find(tx, s.accountId(), ask.previewId()).map(found -> {
            var stored = found.orElseThrow(() -> ProblemException.notFound("preview_not_found", "No preview " + ask.previewId() + "."));
            if (stored.quote().expiresAt().isBefore(clock.instant())) {
                throw new ProblemException(410, "preview_expired", "This preview expired at " + stored.quote().expiresAt() + "; preview again.");
            }
            if (stored.revision() != s.revision()) {
                throw ProblemException.conflict("preview_stale", "The subscription changed since this preview; preview again.");
            }
            return new Ask(stored.quote().toPlan(), stored.quote().toInterval(), stored.quote().timing(), null);
        });
    }

    /** The account's subscription (started on the free plan if it has none), locked when it is about to change. */
    private Uni<Subscription> current(SqlConnection tx, String accountId, boolean lock) {
        // everything on the request's own connection: a second connection per transaction would
        // deadlock the pool once as many requests run as it has connections
        return read(tx, accountId, lock).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : lifecycle.start(tx, accountId).flatMap(x -> read(tx, accountId, lock)).map(again -> again.orElseThrow()));
    }

    private Uni<java.util.Optional<Subscription>> read(SqlConnection tx, String accountId, boolean lock) {
        return lock ? subscriptions.lock(tx, accountId) : subscriptions.find(tx, accountId);
    }

    /** What the payment gateway is told of a change: the target price (Stripe's id, if the catalog has one) and what is due now. */
    private Uni<PaymentGateway.PlanChangeOrder> order(Subscription after, String plan, int version, BillingInterval interval,
                                                      ChangeTiming timing, long payNowMinor, String currency) {
        return plans.version(plan, version).map(snapshot -> new PaymentGateway.PlanChangeOrder(after.accountId(), plan,
                snapshot.prices().stream().filter(p -> p.interval() == interval).findFirst().map(PlanPrice::stripePriceId).orElse(null),
                timing, payNowMinor, currency, plan + " v" + version + " (" + interval + ", " + timing + ")", Billing.key(after)));
    }

    private Uni<SubscriptionState> announce(SqlConnection tx, Subscription s, EventType<SubscriptionEvent> type, PlanChange change) {
        return lifecycle.state(s).call(state -> outbox.add(tx, OutgoingEvent.forAccount(type, s.accountId(),
                new SubscriptionEvent(state, change), clock.instant())));
    }
}
