package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.EntitlementsChanged;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.credits.domain.Entitlements;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entitlement check's projection (V14_1): the plan side of each account's subscription, written
 * with the subscription events credits-service applies (in revision order, in their transaction,
 * under the account's lock), and {@code entitlements.changed} announced in the same transaction
 * whenever an applied event gives the account another plan version, features or seats.
 */
@ApplicationScoped
public class EntitlementProjection {
    private final Outbox outbox;
    private final dev.tally.credits.service.EntitlementCache cache;

    public EntitlementProjection(Outbox outbox, dev.tally.credits.service.EntitlementCache cache) {
        this.outbox = outbox;
        this.cache = cache;
    }

    /** The projection's row of an account: its grant and the subscription it belongs to. */
    public record Stored(Entitlements.Grant grant, String billingMode, long revision) {
    }

    public Uni<Optional<Stored>> find(SqlClient db, String accountId) {
        return db.preparedQuery("SELECT * FROM entitlement WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.<Stored>empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Applies the subscription events applied in this transaction, in the order they were applied. */
    public Uni<Void> apply(Tx boundary, List<InboundEvent> applied, Instant now) {
        if (applied.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        SqlConnection tx = boundary.connection(); // the upserts go out as one batch
        String[] accounts = applied.stream().map(e -> state(e).accountId()).distinct().toArray(String[]::new);
        return tx.preparedQuery("SELECT * FROM entitlement WHERE account_id = ANY($1)").execute(Tuple.of(accounts)).flatMap(rows -> {
            Map<String, Entitlements.Grant> current = new HashMap<>();
            rows.forEach(r -> current.put(r.getString("account_id"), read(r).grant()));
            Map<String, InboundEvent> last = new LinkedHashMap<>();
            List<OutgoingEvent<?>> announced = new ArrayList<>();
            for (InboundEvent event : applied) {
                SubscriptionState s = state(event);
                Entitlements.Grant before = current.get(s.accountId());
                Entitlements.Grant after = grant(s);
                if (after.differsFrom(before)) {
                    announced.add(OutgoingEvent.forAccount(Events.ENTITLEMENTS_CHANGED, s.accountId(), changed(event, s, before, after, now), now));
                }
                current.put(s.accountId(), after);
                last.put(s.accountId(), event);
            }
            List<Tuple> upserts = last.values().stream().map(e -> upsert(state(e), now)).toList();
            cache.forget(last.keySet());
            return tx.preparedQuery("INSERT INTO entitlement (account_id, subscription_id, plan_code, plan_version, features, seats, billing_mode, "
                            + "period_start, period_end, pending_plan_code, pending_effective_at, cancel_at_period_end, revision, updated_at) "
                            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (account_id) DO UPDATE SET "
                            + "subscription_id = EXCLUDED.subscription_id, plan_code = EXCLUDED.plan_code, plan_version = EXCLUDED.plan_version, "
                            + "features = EXCLUDED.features, seats = EXCLUDED.seats, billing_mode = EXCLUDED.billing_mode, "
                            + "period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, pending_plan_code = EXCLUDED.pending_plan_code, "
                            + "pending_effective_at = EXCLUDED.pending_effective_at, cancel_at_period_end = EXCLUDED.cancel_at_period_end, "
                            + "revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at WHERE entitlement.revision < EXCLUDED.revision")
                    .executeBatch(upserts)
                    .flatMap(x -> announced.isEmpty() ? Uni.createFrom().voidItem() : outbox.addAll(boundary, announced))
                    .invoke(() -> cache.forget(last.keySet())); // again, after the write: a check in between read the old row
        });
    }

    private static SubscriptionState state(InboundEvent event) {
        return ((SubscriptionEvent) event.payload()).subscription();
    }

    static Entitlements.Grant grant(SubscriptionState s) {
        var pending = s.pendingChange();
        Instant pendingAt = pending != null ? pending.effectiveAt() : s.cancelAtPeriodEnd() ? s.periodEnd() : null;
        return new Entitlements.Grant(s.planCode(), s.planVersion(), s.features() == null ? List.of() : s.features(), s.seats(),
                s.periodStart(), s.periodEnd(), pending != null ? pending.planCode() : null, pendingAt, s.cancelAtPeriodEnd());
    }

    private static EntitlementsChanged changed(InboundEvent event, SubscriptionState s, Entitlements.Grant before, Entitlements.Grant after,
                                               Instant now) {
        Instant effectiveAt = event.time() != null ? event.time() : s.periodStart();
        return new EntitlementsChanged(s.accountId(), s.subscriptionId(), s.revision(), event.type().name(), effectiveAt, after.planCode(),
                after.planVersion(), after.features(), after.seats(), s.credits(), before == null ? null : before.planCode(),
                before == null ? null : before.planVersion(), before == null ? null : before.features(), before == null ? null : before.seats(),
                Entitlements.validUntil(after, now));
    }

    private static Tuple upsert(SubscriptionState s, Instant now) {
        var g = grant(s);
        return Tuple.from(Arrays.asList(s.accountId(), s.subscriptionId(), s.planCode(), s.planVersion(), g.features().toArray(String[]::new),
                s.seats(), s.billingMode().name(), at(s.periodStart()), at(s.periodEnd()), g.pendingPlanCode(), at(g.pendingEffectiveAt()),
                s.cancelAtPeriodEnd(), s.revision(), at(now)));
    }

    private static Stored read(Row r) {
        String[] features = r.getArrayOfStrings("features");
        var grant = new Entitlements.Grant(r.getString("plan_code"), r.getInteger("plan_version"), features == null ? List.of() : List.of(features),
                r.getInteger("seats"), instant(r, "period_start"), instant(r, "period_end"), r.getString("pending_plan_code"),
                instant(r, "pending_effective_at"), r.getBoolean("cancel_at_period_end"));
        return new Stored(grant, r.getString("billing_mode"), r.getLong("revision"));
    }

    private static Instant instant(Row r, String column) {
        var t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
