package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PendingChangeView;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.repository.PreviewRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository.SubscriptionRow;
import dev.tally.subscriptions.service.ChangeQuoter.ChangeRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Previews and makes plan changes. A change locks the subscription row, re-quotes (a confirmed
 * preview must still describe the subscription as it is), then saves the new state, its charge
 * lines and its event in one transaction. The local payment sandbox settles at once.
 */
@ApplicationScoped
public class ChangeService {
    private final SubscriptionRepository subscriptions;
    private final PreviewRepository previews;
    private final SubscriptionService lifecycle;
    private final ChangeQuoter quoter;
    private final Catalog catalog;
    private final Outbox outbox;
    private final TallyClock clock;

    public ChangeService(SubscriptionRepository subscriptions, PreviewRepository previews, SubscriptionService lifecycle,
                         ChangeQuoter quoter, Catalog catalog, Outbox outbox, TallyClock clock) {
        this.subscriptions = subscriptions;
        this.previews = previews;
        this.lifecycle = lifecycle;
        this.quoter = quoter;
        this.catalog = catalog;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Quotes a change and keeps the preview (on the caller's transaction) so a change can confirm it by id. */
    public Uni<ChangeQuote> preview(SqlConnection tx, String accountId, ChangeRequest request, boolean asAdmin) {
        return lifecycle.current(accountId).flatMap(x -> subscriptions.find(tx, accountId))
                .flatMap(row -> quoter.quote(row.orElseThrow(), request, asAdmin, clock.instant())
                        .call(quote -> previews.save(tx, accountId, row.get().revision(), quote)));
    }

    public Uni<ChangeQuote> change(SqlConnection tx, String accountId, ChangeRequest request, boolean asAdmin) {
        return lifecycle.current(accountId).flatMap(x -> subscriptions.lock(tx, accountId)).map(r -> r.orElseThrow())
                .flatMap(row -> confirmedRequest(tx, accountId, row, request)
                        .flatMap(req -> quoter.quote(row, req, asAdmin, clock.instant()))
                        .flatMap(quote -> quote.timing() == ChangeTiming.END_OF_PERIOD ? schedule(tx, row, quote) : applyNow(tx, row, quote)));
    }

    private Uni<ChangeRequest> confirmedRequest(SqlConnection tx, String accountId, SubscriptionRow row, ChangeRequest request) {
        if (request.previewId() == null) {
            return Uni.createFrom().item(request);
        }
        return previews.find(tx, accountId, request.previewId()).map(found -> {
            var stored = found.orElseThrow(() -> ProblemException.notFound("preview_not_found", "No preview " + request.previewId() + "."));
            if (stored.quote().expiresAt().isBefore(clock.instant())) {
                throw new ProblemException(410, "preview_expired", "This preview expired at " + stored.quote().expiresAt() + "; preview again.");
            }
            if (stored.revision() != row.revision()) {
                throw ProblemException.conflict("preview_stale", "The subscription changed since this preview; preview again.");
            }
            return new ChangeRequest(stored.quote().toPlan(), stored.quote().toInterval(), stored.quote().timing(), null);
        });
    }

    private Uni<ChangeQuote> applyNow(SqlConnection tx, SubscriptionRow row, ChangeQuote quote) {
        var now = clock.instant();
        var changed = new SubscriptionRow(row.id(), row.accountId(), quote.toPlan(), quote.toVersion(), quote.toInterval(),
                SubscriptionState.Status.ACTIVE, quote.timing() == ChangeTiming.IMMEDIATE ? now : row.anchor(),
                quote.newPeriodStart(), quote.newPeriodEnd(), false, null, quote.customerBalanceAfterMinor(), row.revision() + 1);
        return catalog.version(row.planCode(), row.planVersion()).flatMap(from -> subscriptions.save(tx, changed)
                .call(x -> chargeLines(tx, changed, quote))
                .call(x -> lifecycle.state(changed).flatMap(state -> outbox.add(tx, OutgoingEvent.forAccount(Events.SUBSCRIPTION_PLAN_CHANGED,
                        row.accountId(), new SubscriptionEvent(state, new PlanChange(row.planCode(), row.planVersion(),
                                SubscriptionService.state(row, from.orElseThrow()).credits(), quote.timing(), quote.direction(),
                                quote.secondsLeft(), quote.secondsInPeriod())), now))))
                .replaceWith(quote));
    }

    private Uni<ChangeQuote> schedule(SqlConnection tx, SubscriptionRow row, ChangeQuote quote) {
        var pending = new PendingChangeView(UUID.randomUUID(), quote.toPlan(), quote.toVersion(), quote.toInterval(),
                ChangeTiming.END_OF_PERIOD, row.periodEnd());
        var changed = withPending(row, pending, false);
        return subscriptions.save(tx, changed).call(x -> announce(tx, changed, Events.SUBSCRIPTION_CHANGE_SCHEDULED)).replaceWith(quote);
    }

    public Uni<SubscriptionState> cancelPendingChange(SqlConnection tx, String accountId) {
        return locked(tx, accountId).flatMap(row -> {
            if (row.pending() == null) {
                throw ProblemException.conflict("no_pending_change", "There is no pending change to cancel.");
            }
            var changed = withPending(row, null, row.cancelAtPeriodEnd());
            return subscriptions.save(tx, changed).flatMap(x -> announce(tx, changed, Events.SUBSCRIPTION_CHANGE_CANCELLED));
        });
    }

    /** Cancel at the period end: paid features stay until then, no further charges, then Free. */
    public Uni<SubscriptionState> cancel(SqlConnection tx, String accountId) {
        return locked(tx, accountId).flatMap(row -> catalog.version(row.planCode(), row.planVersion()).flatMap(plan -> {
            if (row.pending() != null) {
                throw ProblemException.conflict("pending_change_blocks_cancel",
                        "A change to " + row.pending().planCode() + " is pending: cancel the pending change first, then cancel.");
            }
            if (row.cancelAtPeriodEnd()) {
                throw ProblemException.conflict("already_cancelled", "The subscription already ends at " + row.periodEnd() + ".");
            }
            if (plan.orElseThrow().defaultFree()) {
                throw ProblemException.conflict("nothing_to_cancel", "The free plan has nothing to cancel.");
            }
            var changed = withPending(row, null, true);
            return subscriptions.save(tx, changed).flatMap(x -> announce(tx, changed, Events.SUBSCRIPTION_CANCEL_SCHEDULED));
        }));
    }

    public Uni<SubscriptionState> resume(SqlConnection tx, String accountId) {
        return locked(tx, accountId).flatMap(row -> {
            if (!row.cancelAtPeriodEnd()) {
                throw ProblemException.conflict("nothing_to_resume", "The subscription is not set to cancel.");
            }
            var changed = withPending(row, row.pending(), false);
            return subscriptions.save(tx, changed).flatMap(x -> announce(tx, changed, Events.SUBSCRIPTION_RESUMED));
        });
    }

    private Uni<Void> chargeLines(SqlConnection tx, SubscriptionRow s, ChangeQuote q) {
        var now = clock.instant();
        Uni<Void> credit = q.creditForUnusedMinor() == 0 ? Uni.createFrom().voidItem() : subscriptions.charge(tx, s,
                "unused time on " + q.fromPlan(), now, s.periodEnd(), -q.creditForUnusedMinor(), q.currency(), now);
        return credit.flatMap(x -> q.chargeMinor() == 0 ? Uni.createFrom().voidItem() : subscriptions.charge(tx, s,
                q.toPlan() + " (" + q.timing() + ")", q.newPeriodStart(), q.newPeriodEnd(), q.chargeMinor(), q.currency(), now));
    }

    private Uni<SubscriptionRow> locked(SqlConnection tx, String accountId) {
        return lifecycle.current(accountId).flatMap(x -> subscriptions.lock(tx, accountId)).map(r -> r.orElseThrow());
    }

    private Uni<SubscriptionState> announce(SqlConnection tx, SubscriptionRow row, EventType<SubscriptionEvent> type) {
        return lifecycle.state(row).call(state -> outbox.add(tx, OutgoingEvent.forAccount(type, row.accountId(),
                new SubscriptionEvent(state, null), clock.instant())));
    }

    static SubscriptionRow withPending(SubscriptionRow r, PendingChangeView pending, boolean cancelAtPeriodEnd) {
        return new SubscriptionRow(r.id(), r.accountId(), r.planCode(), r.planVersion(), r.interval(), r.status(), r.anchor(),
                r.periodStart(), r.periodEnd(), cancelAtPeriodEnd, pending, r.balanceMinor(), r.revision() + 1);
    }
}
