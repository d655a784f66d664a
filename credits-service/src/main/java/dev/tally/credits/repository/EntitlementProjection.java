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
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
    /**
     * The batch's rows in one statement (unnest: one array per column, a row's features as a text[]
     * literal); a row only replaces an older revision, so a replayed or late event moves nothing.
     */
    private static final String UPSERT = "INSERT INTO entitlement (account_id, subscription_id, plan_code, plan_version, features, seats, "
            + "billing_mode, period_start, period_end, pending_plan_code, pending_effective_at, cancel_at_period_end, revision, updated_at) "
            + "SELECT u.account_id, u.subscription_id, u.plan_code, u.plan_version, u.features::text[], u.seats, u.billing_mode, u.period_start, "
            + "u.period_end, u.pending_plan_code, u.pending_effective_at, u.cancel_at_period_end, u.revision, $14 "
            + "FROM unnest($1::text[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::timestamptz[], "
            + "$9::timestamptz[], $10::text[], $11::timestamptz[], $12::bool[], $13::bigint[]) AS u(account_id, subscription_id, plan_code, "
            + "plan_version, features, seats, billing_mode, period_start, period_end, pending_plan_code, pending_effective_at, "
            + "cancel_at_period_end, revision) ORDER BY u.account_id ON CONFLICT (account_id) DO UPDATE SET "
            + "subscription_id = EXCLUDED.subscription_id, plan_code = EXCLUDED.plan_code, plan_version = EXCLUDED.plan_version, "
            + "features = EXCLUDED.features, seats = EXCLUDED.seats, billing_mode = EXCLUDED.billing_mode, "
            + "period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, pending_plan_code = EXCLUDED.pending_plan_code, "
            + "pending_effective_at = EXCLUDED.pending_effective_at, cancel_at_period_end = EXCLUDED.cancel_at_period_end, "
            + "revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at WHERE entitlement.revision < EXCLUDED.revision";
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
        SqlConnection tx = boundary.connection();
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
            List<SubscriptionState> rowsToWrite = last.values().stream().map(EntitlementProjection::state)
                    .sorted(java.util.Comparator.comparing(SubscriptionState::accountId)).toList();
            cache.forget(last.keySet());
            Uni<?> upsert = tx.preparedQuery(UPSERT).execute(upserts(rowsToWrite, now));
            return (announced.isEmpty() ? upsert.replaceWithVoid()
                    : Uni.combine().all().unis(upsert, outbox.addAll(boundary, announced)).discardItems()) // pipelined, in order
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

    /** One row per account (the last applied state of each), in account order, as arrays for {@link #UPSERT}. */
    private static Tuple upserts(List<SubscriptionState> rows, Instant now) {
        List<Entitlements.Grant> grants = rows.stream().map(EntitlementProjection::grant).toList();
        return Tuple.tuple()
                .addValue(rows.stream().map(SubscriptionState::accountId).toArray(String[]::new))
                .addValue(rows.stream().map(SubscriptionState::subscriptionId).toArray(java.util.UUID[]::new))
                .addValue(rows.stream().map(SubscriptionState::planCode).toArray(String[]::new))
                .addValue(rows.stream().map(SubscriptionState::planVersion).toArray(Integer[]::new))
                .addValue(grants.stream().map(g -> arrayLiteral(g.features())).toArray(String[]::new))
                .addValue(rows.stream().map(SubscriptionState::seats).toArray(Integer[]::new))
                .addValue(rows.stream().map(s -> s.billingMode().name()).toArray(String[]::new))
                .addValue(rows.stream().map(s -> at(s.periodStart())).toArray(OffsetDateTime[]::new))
                .addValue(rows.stream().map(s -> at(s.periodEnd())).toArray(OffsetDateTime[]::new))
                .addValue(grants.stream().map(Entitlements.Grant::pendingPlanCode).toArray(String[]::new))
                .addValue(grants.stream().map(g -> at(g.pendingEffectiveAt())).toArray(OffsetDateTime[]::new))
                .addValue(rows.stream().map(SubscriptionState::cancelAtPeriodEnd).toArray(Boolean[]::new))
                .addValue(rows.stream().map(SubscriptionState::revision).toArray(Long[]::new))
                .addValue(at(now));
    }

    /** A text[] literal of the features ("{\"a\",\"b\"}"): one array a row travels as one text element of the unnest. */
    static String arrayLiteral(List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (String v : values) {
            out.append(out.length() > 1 ? ",\"" : "\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
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
