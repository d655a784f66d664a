package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository.SubscriptionRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Every account starts on the default free plan: explicitly, or on its first read. Starting writes
 * the subscription and its {@code subscription.started} event in one transaction.
 */
@ApplicationScoped
public class SubscriptionService {
    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final Catalog catalog;
    private final Outbox outbox;
    private final TallyClock clock;

    public SubscriptionService(Pool pool, SubscriptionRepository subscriptions, Catalog catalog, Outbox outbox, TallyClock clock) {
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The account's subscription with the terms of its plan version; started on the free plan if it has none. */
    public Uni<SubscriptionState> current(String accountId) {
        return subscriptions.find(pool, accountId).flatMap(found -> found.isPresent()
                ? state(found.get())
                : pool.withTransaction(tx -> start(tx, accountId)));
    }

    /** Starts the account on the default free plan; an account that has a subscription keeps it. */
    public Uni<SubscriptionState> start(SqlConnection tx, String accountId) {
        return catalog.defaultFreePlan().flatMap(free -> {
            PlanSnapshot plan = free.orElseThrow(() -> new ProblemException(503, "catalog_not_ready",
                    "The plan catalog has not reached this service yet; retry shortly."));
            Instant now = clock.instant();
            Instant end = now.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
            var row = new SubscriptionRow(UUID.randomUUID(), accountId, plan.code(), plan.version(), BillingInterval.MONTH,
                    SubscriptionState.Status.ACTIVE, now, now, end, false, null, 0, 1);
            return subscriptions.insertIfAbsent(tx, row, now).flatMap(created -> {
                if (!created) {
                    return subscriptions.find(tx, accountId).flatMap(existing -> state(existing.orElseThrow()));
                }
                SubscriptionState state = state(row, plan);
                return outbox.add(tx, OutgoingEvent.forAccount(Events.SUBSCRIPTION_STARTED, accountId,
                        new SubscriptionEvent(state, null), now)).replaceWith(state);
            });
        });
    }

    public Uni<SubscriptionState> state(SubscriptionRow row) {
        return catalog.version(row.planCode(), row.planVersion()).map(plan -> state(row, plan.orElseThrow(
                () -> new ProblemException(503, "catalog_not_ready", "Plan " + row.planCode() + " v" + row.planVersion()
                        + " has not reached this service yet; retry shortly."))));
    }

    static SubscriptionState state(SubscriptionRow row, PlanSnapshot plan) {
        return new SubscriptionState(row.id(), row.accountId(), row.planCode(), row.planVersion(), row.interval(), row.status(),
                row.periodStart(), row.periodEnd(), row.cancelAtPeriodEnd(), row.pending(),
                new CreditTerms(plan.creditsPerPeriod(), plan.creditPeriod(), plan.dailyCredits(), plan.overage()),
                plan.features(), plan.seatsIncluded(), row.revision());
    }
}
