package dev.tally.subscriptions.repository;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.SubscriptionState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Subscriptions, one per account. Queries only. */
@ApplicationScoped
public class SubscriptionRepository {

    /** The stored part of a subscription; plan terms come from the catalog version it names. */
    public record SubscriptionRow(UUID id, String accountId, String planCode, int planVersion, BillingInterval interval,
                                  SubscriptionState.Status status, Instant anchor, Instant periodStart, Instant periodEnd,
                                  boolean cancelAtPeriodEnd, long revision) {
    }

    public Uni<Optional<SubscriptionRow>> find(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT * FROM subscription WHERE account_id = $1").execute(Tuple.of(accountId))
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

    private static SubscriptionRow toRow(Row r) {
        return new SubscriptionRow(r.getUUID("id"), r.getString("account_id"), r.getString("plan_code"), r.getInteger("plan_version"),
                BillingInterval.valueOf(r.getString("billing_interval")), SubscriptionState.Status.valueOf(r.getString("status")),
                r.getOffsetDateTime("period_anchor").toInstant(), r.getOffsetDateTime("period_start").toInstant(),
                r.getOffsetDateTime("period_end").toInstant(), r.getBoolean("cancel_at_period_end"), r.getLong("revision"));
    }

    private static java.time.OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
