package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.ChangeOutcome;
import dev.tally.subscriptions.domain.ChangeRequest;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.payment.PaymentGateway.Intent;
import dev.tally.subscriptions.payment.PaymentGateway.PlanChangeOrder;
import dev.tally.subscriptions.payment.PaymentGateway.Settlement;
import dev.tally.subscriptions.repository.PreviewRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.service.ChangeQuoteView.CreditsOutlook;
import dev.tally.subscriptions.service.ChangeQuoter.Ask;
import dev.tally.subscriptions.service.ChangeQuoter.Support;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Previews and makes plan changes. No remote call is made while a row is locked: a change is
 * <em>decided</em> first, with no transaction open (the subscription read unlocked at revision r,
 * the policy from the catalog read model, the domain's {@link Subscription} deciding at one instant),
 * then <em>billed</em> through the gateway, still outside any transaction (Stripe's idempotency key
 * names revision r + 1, so a retry replays Stripe's first answer and a second change decided on r
 * is refused by Stripe), and only then <em>applied</em>: one short transaction locks the row and
 * re-checks the revision. Still r: the decided state, its charge lines and its event are saved.
 * Moved: refused with 409 {@code subscription_changed} and nothing is written, unless the row is
 * exactly the decided state (Stripe's webhook applied this very change first, from the intent the
 * change carries). The local sandbox settles at once, so the same three steps cost it nothing.
 * Changes the provider made itself ({@link #followProvider}) need no remote call and run in the
 * webhook's transaction.
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
    private final ChangeRecords records;
    private final TallyClock clock;

    public ChangeService(SubscriptionRepository subscriptions, PreviewRepository previews, SubscriptionService lifecycle,
                         ChangeQuoter quoter, PlanLookup plans, Billing billing, PaymentGateway payments, ChangeRecords records,
                         TallyClock clock) {
        this.records = records;
        this.subscriptions = subscriptions;
        this.previews = previews;
        this.lifecycle = lifecycle;
        this.quoter = quoter;
        this.plans = plans;
        this.billing = billing;
        this.payments = payments;
        this.clock = clock;
    }

    /** A quote and the revision it was made on, ready to be kept as a preview. */
    public record Quoted(long revision, ChangeQuoteView quote) {
    }

    /** A change decided on {@code before} and billed, to apply if the subscription is still at that revision. */
    public record Decided(Subscription before, ChangeOutcome outcome, PlanSnapshot from, PlanChangeOrder order, Settlement settlement,
                          Instant at, Support support, CreditsOutlook credits, java.util.UUID previewId) {
    }

    /** What a change asks for once its preview (if any) is read: the preview's instant and credits, or nulls. */
    private record Confirmed(Ask ask, Instant at, CreditsOutlook credits) {
    }

    /** Quotes a change (no transaction open: credits-service is asked here). */
    public Uni<Quoted> quote(String accountId, Ask ask, boolean asAdmin) {
        return lifecycle.decidable(accountId).flatMap(s -> payments.hasPaymentMethod(accountId)
                .flatMap(onFile -> quoter.request(s, ask, asAdmin, onFile))
                .flatMap(request -> quoter.quote(s, request, clock.instant()))
                .map(quote -> new Quoted(s.revision(), quote)));
    }

    /** Keeps a quote (in the caller's session transaction) so a change can confirm it by id. */
    public Uni<ChangeQuoteView> keepPreview(Tx tx, String accountId, Quoted quoted) {
        return previews.save(tx, accountId, quoted.revision(), quoted.quote()).replaceWith(quoted.quote());
    }

    /**
     * Decides a change and bills it, with no transaction open and no row locked; {@link #apply} makes it.
     * A change confirming a preview is decided at the preview's instant, with the preview's credits
     * outlook; any other is quoted and decided at one instant read once.
     */
    public Uni<Decided> decide(String accountId, Ask ask, boolean asAdmin) {
        return lifecycle.decidable(accountId).flatMap(s -> confirmed(s, ask).flatMap(confirmed -> payments.hasPaymentMethod(accountId)
                .flatMap(onFile -> quoter.request(s, confirmed.ask(), asAdmin, onFile))
                .flatMap(request -> {
                    Instant at = confirmed.at() != null ? confirmed.at() : clock.instant();
                    ChangeOutcome outcome = RuleProblems.decide(() -> s.change(request, at));
                    var quote = outcome.quote();
                    long payNow = quote.takesEffectNow() ? quote.paidNow().minor() : 0;
                    Uni<CreditsOutlook> credits = confirmed.at() != null ? Uni.createFrom().item(confirmed.credits())
                            : quoter.creditsOutlook(s, request, quote);
                    return credits.flatMap(outlook -> plans.version(s.planCode(), s.planVersion()).flatMap(from -> billing.order(
                                    outcome.subscription(), quote.toPlanCode(), quote.toPlanVersion(), quote.toInterval(), quote.timing(),
                                    payNow, quote.paidNow().currency(), at, ask.support())
                            .flatMap(order -> billing.billChange(order)
                                    .map(settlement -> new Decided(s, outcome, from, order, settlement, at, ask.support(), outlook,
                                            ask.previewId())))));
                })));
    }

    /**
     * Applies a decided change if still at its revision (else 409 {@code subscription_changed}); on a
     * connection Tx (the port's). The subscription is saved by one statement that takes its lock and
     * writes only if the row is still what the change was decided on; only when it moved is it read.
     */
    public Uni<ChangeQuoteView> apply(Tx tx, Decided d) {
        Subscription after = d.outcome().subscription();
        ChangeQuoteView view = ChangeQuoter.view(d.outcome().quote(), d.credits(), List.of(), d.at());
        String reference = d.settlement() == null ? null : d.settlement().reference();
        // a preview is confirmed once: concurrent confirmations reach the same state, so the preview row tells them apart
        Uni<Boolean> first = d.previewId() == null ? Uni.createFrom().item(true) : previews.confirm(tx.connection(), after.accountId(), d.previewId(), d.at());
        // the gateway's rows first: Stripe's webhook locks its link before the subscription, and so does this
        return first.map(fresh -> {
                    if (!fresh) {
                        throw ProblemException.conflict("preview_stale", "This preview was confirmed already; preview again.");
                    }
                    return fresh;
                })
                .flatMap(x -> payments.planChangeRecorded(tx, d.order(), d.settlement()))
                .flatMap(x -> subscriptions.saveIfUnmoved(tx.connection(), after, d.before()))
                .flatMap(saved -> saved ? records.write(tx, d.before(), d.from(), d.outcome(), reference, d.at(), d.support()).replaceWith(view)
                        : subscriptions.lock(tx.connection(), after.accountId()).flatMap(found -> {
                            Subscription now = found.orElseThrow();
                            if (now.revision() == d.before().revision() && now.accrual().equals(d.before().accrual())) {
                                return write(tx, d.before(), d.from(), d.outcome(), reference, d.at(), d.support()).replaceWith(view);
                            }
                            if (Revisions.same(now, after) && now.accrual().equals(after.accrual())) {
                                return Uni.createFrom().item(view); // Stripe's webhook applied this very change first
                            }
                            throw Revisions.changed(d.before(), now);
                        }));
    }

    /**
     * A change the payment provider was already paid for (Stripe Checkout) or already made (the
     * Stripe portal), in the caller's transaction: applied with its charge lines, without billing it
     * again. {@code providerPeriod}, when the provider created the subscription (Checkout), is its
     * period: the change applies at its start and the subscription runs in exactly that period.
     */
    public Uni<ChangeQuoteView> followProvider(Tx tx, String accountId, Ask ask, boolean asAdmin, String paymentRef,
                                           BillingPeriod providerPeriod) {
        Instant at = providerPeriod != null ? providerPeriod.start() : clock.instant();
        return lock(tx, accountId).flatMap(s -> quoter.followed(s, ask, asAdmin)
                .flatMap(request -> applyFollowed(tx, s, request, paymentRef, at, null, providerPeriod)));
    }

    public Uni<ChangeQuoteView> followProvider(Tx tx, String accountId, Ask ask, boolean asAdmin, String paymentRef) {
        return followProvider(tx, accountId, ask, asAdmin, paymentRef, null);
    }

    /**
     * A change Tally asked Stripe for (its {@code intent}, read back from the Stripe subscription)
     * but did not get to apply: applied now exactly as it was decided (same timing, same instant) if
     * the subscription is still at the revision it was decided on. False when it is not (it was
     * applied already, or something else moved the subscription): the caller decides what then.
     */
    public Uni<Boolean> followIntent(Tx tx, String accountId, Intent intent, String paymentRef) {
        return lock(tx, accountId).flatMap(s -> {
            if (s.revision() != intent.revision() - 1) {
                return Uni.createFrom().item(false);
            }
            Support support = intent.actedBy() == null ? null : new Support(intent.actedBy(), intent.reason());
            return quoter.followed(s, new Ask(intent.plan(), intent.interval(), intent.timing(), null), true)
                    .flatMap(request -> applyFollowed(tx, s, request, paymentRef, intent.quotedAt(), support, null)).replaceWith(true);
        });
    }

    private Uni<ChangeQuoteView> applyFollowed(Tx tx, Subscription s, ChangeRequest request, String paymentRef, Instant at,
                                           Support support, BillingPeriod providerPeriod) {
        ChangeOutcome decided = RuleProblems.decide(() -> s.change(request, at));
        ChangeOutcome outcome = providerPeriod == null ? decided : inPeriod(decided, providerPeriod);
        return plans.version(s.planCode(), s.planVersion()).flatMap(from -> write(tx, s, from, outcome, paymentRef, at, support))
                .replaceWith(ChangeQuoter.view(outcome.quote(), null, List.of(), at));
    }

    /** The outcome with the subscription running in the provider's period, anchored at its start (Stripe's billing cycle anchor). */
    private static ChangeOutcome inPeriod(ChangeOutcome o, BillingPeriod period) {
        return new ChangeOutcome(o.subscription().runningIn(period), o.quote());
    }

    /** Saves the decided state of a locked subscription, then {@link ChangeRecords what goes with it}. */
    private Uni<Void> write(Tx tx, Subscription before, PlanSnapshot from, ChangeOutcome outcome, String reference, Instant at,
                            Support support) {
        Subscription after = outcome.subscription();
        return subscriptions.save(tx.connection(), after).call(x -> subscriptions.saveAccruals(tx.connection(), List.of(after))) // decided on what was locked
                .call(x -> records.write(tx, before, from, outcome, reference, at, support));
    }

    /**
     * A change that confirms a preview becomes the previewed plan, interval and timing at the
     * previewed instant, if the preview still holds (not expired, the subscription not moved since).
     */
    private Uni<Confirmed> confirmed(Subscription s, Ask ask) {
        if (ask.previewId() == null) {
            return Uni.createFrom().item(new Confirmed(ask, null, null));
        }
        return previews.find(s.accountId(), ask.previewId()).map(found -> {
            var stored = found.orElseThrow(() -> ProblemException.notFound("preview_not_found", "No preview " + ask.previewId() + "."));
            ChangeQuoteView q = stored.quote();
            if (q.expiresAt().isBefore(clock.instant())) {
                throw new ProblemException(410, "preview_expired", "This preview expired at " + q.expiresAt() + "; preview again.");
            }
            if (stored.revision() != s.revision()) {
                throw ProblemException.conflict("preview_stale", "The subscription changed since this preview; preview again.");
            }
            Instant at = q.quotedAt() != null ? q.quotedAt() : q.expiresAt().minus(ChangeQuoter.PREVIEW_TTL); // kept before quotedAt was
            return new Confirmed(new Ask(q.toPlan(), q.toInterval(), q.timing(), null, ask.support()), at, q.credits());
        });
    }

    /** The account's subscription, locked, in the caller's transaction (started on the free plan first if it has none). */
    private Uni<Subscription> lock(Tx tx, String accountId) {
        return subscriptions.lock(tx.connection(), accountId).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : lifecycle.start(tx, accountId).flatMap(x -> subscriptions.lock(tx.connection(), accountId)).map(again -> again.orElseThrow()));
    }
}
