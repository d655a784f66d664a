package dev.tally.subscriptions.service;

import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.subscriptions.domain.ChangeOutcome;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.repository.SubscriptionHistory;
import dev.tally.subscriptions.service.ChangeQuoter.Support;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * What a plan change leaves besides the subscription's new state, written in the transaction that
 * saved it: its history entry, its charge lines (a change that takes effect now) and its event
 * ({@code subscription.change-scheduled}, or {@code subscription.plan-changed}); when support made
 * it, who and why go on all three.
 */
@ApplicationScoped
public class ChangeRecords {
    private final SubscriptionHistory history;
    private final Billing billing;
    private final SubscriptionService lifecycle;

    public ChangeRecords(SubscriptionHistory history, Billing billing, SubscriptionService lifecycle) {
        this.history = history;
        this.billing = billing;
        this.lifecycle = lifecycle;
    }

    /** Writes them for the change from {@code before} (on plan version {@code from}) to the outcome's subscription, already saved. */
    public Uni<Void> write(Tx tx, Subscription before, PlanSnapshot from, ChangeOutcome outcome, String reference, Instant at,
                           Support support) {
        Subscription after = outcome.subscription();
        var quote = outcome.quote();
        String admin = support == null ? null : support.admin();
        String reason = support == null ? null : support.reason();
        var entry = new SubscriptionHistory.Entry(after.revision(), quote.takesEffectNow() ? "plan-changed" : "change-scheduled",
                before.planCode(), quote.toPlanCode(), quote.toInterval().name(), quote.timing().name(), admin, reason, at);
        Uni<Void> recorded = history.record(tx.connection(), after.accountId(), after.id(), entry);
        if (!quote.takesEffectNow()) {
            return recorded.call(x -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_CHANGE_SCHEDULED, null)).replaceWithVoid();
        }
        return recorded.call(x -> billing.recordPaid(tx, after, quote.charges(), reference, at, support))
                .call(x -> lifecycle.announce(tx, after, Events.SUBSCRIPTION_PLAN_CHANGED, new PlanChange(before.planCode(),
                        before.planVersion(), SubscriptionService.credits(from), quote.timing(), quote.direction(),
                        quote.proration().secondsLeft(), quote.proration().secondsInPeriod(), admin, reason)))
                .replaceWithVoid();
    }
}
