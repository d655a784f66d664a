package dev.tally.subscriptions.service;

import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
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
import dev.tally.subscriptions.repository.InvoiceRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies the scheduler's {@code period.ended} through the domain's {@link Subscription#endPeriod}:
 * the cancellation (revert to Free, with an email), else the pending change, else a renewal, each
 * billing the new period (in advance), after collecting the ended period's charges in arrears
 * ({@link ArrearsBilling#collect}). The command names the period it is about; if the subscription has moved
 * on (a repeat, or a late command) the domain ignores it and nothing changes. Nothing here calls
 * another service while the batch's rows are locked: the plan versions come from the local catalog
 * read model, the local sandbox settles in-process, and with Stripe the renewal is Stripe's own (the
 * gateway only reads the account's link; the payment's outcome arrives as a webhook).
 */
@ApplicationScoped
public class PeriodEndService {
    private final SubscriptionRepository subscriptions;
    private final SubscriptionService lifecycle;
    private final PlanLookup plans;
    private final Billing billing;
    private final Notifications notifications;
    private final Outbox outbox;
    private final InvoiceRepository invoices;
    private final ArrearsBilling arrears;

    public PeriodEndService(SubscriptionRepository subscriptions, SubscriptionService lifecycle, PlanLookup plans,
                            Billing billing, Notifications notifications, Outbox outbox, InvoiceRepository invoices,
                            ArrearsBilling arrears) {
        this.invoices = invoices;
        this.arrears = arrears;
        this.subscriptions = subscriptions;
        this.lifecycle = lifecycle;
        this.plans = plans;
        this.billing = billing;
        this.notifications = notifications;
        this.outbox = outbox;
    }

    /**
     * Applies a batch of commands in the caller's transaction: their subscriptions are locked in one
     * statement, each command is decided by the domain in order (a second command for the same
     * subscription sees the first one's outcome), and the saves, charge lines and events are written
     * together at the end.
     */
    public Uni<Void> applyAll(Tx tx, List<PeriodEnded> commands) {
        List<String> accounts = commands.stream().map(PeriodEnded::accountId).distinct().toList();
        return subscriptions.lockAll(tx.connection(), accounts).flatMap(locked -> invoices.computed(tx.connection(), locked.values().stream()
                .map(Subscription::id).toList()).flatMap(computed -> {
            Writes writes = new Writes();
            Uni<Void> decided = Multi.createFrom().iterable(commands).onItem()
                    .transformToUniAndConcatenate(c -> decide(tx, c, locked, computed, writes))
                    .collect().last().replaceWithVoid(); // one after the other, without nesting 500 operators deep
            return decided.flatMap(x -> subscriptions.saveAll(tx.connection(), writes.saved))
                    .flatMap(x -> subscriptions.saveAccruals(tx.connection(), writes.accruals))
                    .flatMap(x -> subscriptions.chargeAll(tx.connection(), writes.charges))
                    .flatMap(x -> outbox.addAll(tx, writes.events));
        }));
    }

    public Uni<Void> apply(Tx tx, PeriodEnded command) {
        return applyAll(tx, List.of(command));
    }

    /** What a batch writes once every command in it is decided. */
    private static final class Writes {
        final List<Subscription> saved = new ArrayList<>();
        final List<Subscription> accruals = new ArrayList<>();
        final List<SubscriptionRepository.Charge> charges = new ArrayList<>();
        final List<OutgoingEvent<?>> events = new ArrayList<>();
    }

    private Uni<Void> decide(Tx tx, PeriodEnded command, Map<String, Subscription> locked,
                             Map<String, InvoiceRepository.Stored> computed, Writes writes) {
        Subscription s = locked.get(command.accountId());
        if (s == null || !s.id().equals(command.subscriptionId())) {
            return Uni.createFrom().voidItem();
        }
        return plans.version(s.planCode(), s.planVersion()).flatMap(from -> next(s).flatMap(next -> {
            var stored = computed.get(InvoiceRepository.key(s.id(), command.periodEnd()));
            PeriodEndOutcome outcome = s.endPeriod(command.periodEnd(), PlanTerms.from(from), PlanTerms.from(next),
                    stored == null ? null : stored.invoice());
            if (outcome.ignored()) {
                return Uni.createFrom().voidItem(); // stale or repeated: that period was dealt with already
            }
            Subscription after = outcome.subscription();
            locked.put(after.accountId(), after);
            writes.saved.add(after);
            if (!after.accrual().equals(s.accrual())) {
                writes.accruals.add(after);
            }
            Instant now = after.period().start();
            Uni<Void> collected = outcome.collectedInvoice().isEmpty() ? Uni.createFrom().voidItem()
                    : arrears.collect(tx, s, outcome, stored == null ? null : stored.id());
            return collected.flatMap(x -> billing.payPeriod(tx, after, outcome.charges(), outcome.settlement().paid())).flatMap(reference -> {
                outcome.charges().forEach(line -> writes.charges.add(new SubscriptionRepository.Charge(after, line, reference, now)));
                return switch (outcome.kind()) {
                    case RENEWED -> announce(writes, after, Events.SUBSCRIPTION_RENEWED, null);
                    case CHANGED -> announce(writes, after, Events.SUBSCRIPTION_PLAN_CHANGED, change(s, from, next));
                    case REVERTED_TO_FREE -> notifications.revertedToFree(tx, s.accountId(), s.planCode(), next.code(), now)
                            .flatMap(x -> announce(writes, after, Events.SUBSCRIPTION_REVERTED_TO_FREE, change(s, from, next)));
                    case IGNORED -> Uni.createFrom().voidItem();
                };
            });
        }));
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

    private Uni<Void> announce(Writes writes, Subscription s, EventType<SubscriptionEvent> type, PlanChange change) {
        return lifecycle.state(s).invoke(state -> writes.events.add(OutgoingEvent.forAccount(type, s.accountId(),
                new SubscriptionEvent(state, change), s.period().start()))).replaceWithVoid();
    }
}
