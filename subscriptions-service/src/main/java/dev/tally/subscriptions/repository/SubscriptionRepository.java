package dev.tally.subscriptions.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.PendingChangeView;
import dev.tally.contracts.subscriptions.SubscriptionState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Subscriptions, one per account, and their charges. Queries only. */
@ApplicationScoped
public class SubscriptionRepository {
    private final ObjectMapper json;

    public SubscriptionRepository(ObjectMapper json) {
        this.json = json;
    }

    /** The stored part of a subscription; plan terms come from the catalog version it names. */
    public record SubscriptionRow(UUID id, String accountId, String planCode, int planVersion, BillingInterval interval,
                                  SubscriptionState.Status status, Instant anchor, Instant periodStart, Instant periodEnd,
                                  boolean cancelAtPeriodEnd, PendingChangeView pending, long balanceMinor, long revision) {
    }

    public Uni<Optional<SubscriptionRow>> find(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT * FROM subscription WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    /** The row, locked for the rest of the transaction: changes to one subscription happen one at a time. */
    public Uni<Optional<SubscriptionRow>> lock(SqlConnection tx, String accountId) {
        return tx.preparedQuery("SELECT * FROM subscription WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    /** Inserts the subscription unless the account has one; true when this call created it. */
    public Uni<Boolean> insertIfAbsent(SqlConnection tx, SubscriptionRow s, Instant now) {
        return tx.preparedQuery("INSERT INTO subscription (id, account_id, plan_code, plan_version, billing_interval, status, "
                        + "period_anchor, period_start, period_end, cancel_at_period_end, revision, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (account_id) DO NOTHING")
                .execute(Tuple.from(List.of(s.id(), s.accountId(), s.planCode(), s.planVersion(), s.interval().name(),
                        s.status().name(), at(s.anchor()), at(s.periodStart()), at(s.periodEnd()), s.cancelAtPeriodEnd(),
                        s.revision(), at(now))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Saves a changed subscription; its revision must be one more than the stored one (no lost update). */
    public Uni<Void> save(SqlConnection tx, SubscriptionRow s) {
        return tx.preparedQuery("UPDATE subscription SET plan_code = $2, plan_version = $3, billing_interval = $4, status = $5, "
                        + "period_anchor = $6, period_start = $7, period_end = $8, cancel_at_period_end = $9, "
                        + "pending_change = $10::text::jsonb, customer_balance_minor = $11, revision = $12 "
                        + "WHERE account_id = $1 AND revision = $12 - 1")
                .execute(Tuple.from(java.util.Arrays.asList(s.accountId(), s.planCode(), s.planVersion(), s.interval().name(),
                        s.status().name(), at(s.anchor()), at(s.periodStart()), at(s.periodEnd()), s.cancelAtPeriodEnd(),
                        s.pending() == null ? null : write(s.pending()), s.balanceMinor(), s.revision())))
                .map(rows -> {
                    if (rows.rowCount() != 1) {
                        throw new IllegalStateException("subscription " + s.accountId() + " changed concurrently");
                    }
                    return null;
                }).replaceWithVoid();
    }

    public Uni<Void> charge(SqlConnection tx, SubscriptionRow s, String description, Instant periodStart, Instant periodEnd,
                            long amountMinor, String currency, Instant now) {
        return tx.preparedQuery("INSERT INTO charge (account_id, subscription_id, description, period_start, period_end, amount_minor, "
                        + "currency, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(List.of(s.accountId(), s.id(), description, at(periodStart), at(periodEnd), amountMinor, currency, at(now))))
                .replaceWithVoid();
    }

    private SubscriptionRow toRow(Row r) {
        Object stored = r.getValue("pending_change");
        String pending = stored == null ? null : stored.toString();
        return new SubscriptionRow(r.getUUID("id"), r.getString("account_id"), r.getString("plan_code"), r.getInteger("plan_version"),
                BillingInterval.valueOf(r.getString("billing_interval")), SubscriptionState.Status.valueOf(r.getString("status")),
                r.getOffsetDateTime("period_anchor").toInstant(), r.getOffsetDateTime("period_start").toInstant(),
                r.getOffsetDateTime("period_end").toInstant(), r.getBoolean("cancel_at_period_end"),
                pending == null ? null : read(pending), r.getLong("customer_balance_minor"), r.getLong("revision"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private PendingChangeView read(String text) {
        try {
            return json.readValue(text, PendingChangeView.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable pending change", e);
        }
    }

    static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
