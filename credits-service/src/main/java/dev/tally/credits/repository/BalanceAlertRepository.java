package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.credits.domain.BalanceAlerts.Alert;
import dev.tally.credits.domain.BalanceAlerts.Kind;
import dev.tally.credits.domain.BalanceAlerts.Watch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The balance_alert rows: an account's alerts and their state (credits-domain's BalanceAlerts), read under the account's lock. */
@ApplicationScoped
public class BalanceAlertRepository {
    /**
     * Several accounts' alerts, with the open overage of those whose overage alert has not passed yet
     * (summed only for them). An account without rows is absent (the default threshold applies).
     */
    public Uni<Map<String, Watch>> watches(SqlClient client, List<String> accountIds) {
        return client.preparedQuery("SELECT a.account_id, a.alert_id, a.kind, a.value, a.tripped, CASE WHEN a.kind = 'OVERAGE' AND NOT a.tripped "
                        + "THEN (SELECT coalesce(sum(o.credits), 0) FROM overage_usage o WHERE o.account_id = a.account_id "
                        + "AND o.closed_for_period_end IS NULL) ELSE 0 END FROM balance_alert a WHERE a.account_id = ANY($1)")
                .execute(Tuple.of(accountIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<Alert>> alerts = new HashMap<>();
                    Map<String, Long> overage = new HashMap<>();
                    rows.forEach(r -> {
                        alerts.computeIfAbsent(r.getString(0), a -> new ArrayList<>()).add(alert(r));
                        overage.merge(r.getString(0), r.getLong(5), Math::max);
                    });
                    Map<String, Watch> out = new HashMap<>();
                    alerts.forEach((account, list) -> out.put(account, new Watch(List.copyOf(list), overage.get(account))));
                    return out;
                });
    }

    /** The alerts whose state flipped: each row written (a DEFAULT row the first time it trips). */
    public Uni<Void> store(SqlClient client, List<String> accountIds, List<Alert> alerts, Instant now) {
        return client.preparedQuery("INSERT INTO balance_alert (account_id, alert_id, kind, value, tripped, created_at) "
                        + "SELECT u.account_id, u.alert_id, u.kind, u.value, u.tripped, $6 "
                        + "FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[]) AS u(account_id, alert_id, kind, value, tripped) "
                        + "ON CONFLICT (account_id, alert_id) DO UPDATE SET tripped = excluded.tripped, value = excluded.value")
                .execute(Tuple.tuple().addValue(accountIds.toArray(String[]::new))
                        .addValue(alerts.stream().map(Alert::alertId).toArray(String[]::new))
                        .addValue(alerts.stream().map(a -> a.kind().name()).toArray(String[]::new))
                        .addValue(alerts.stream().map(Alert::value).toArray(Long[]::new))
                        .addValue(alerts.stream().map(Alert::tripped).toArray(Boolean[]::new))
                        .addValue(at(now)))
                .replaceWithVoid();
    }

    /** One account's alerts, the DEFAULT row included, oldest first. */
    public Uni<List<Alert>> of(SqlClient client, String accountId) {
        return client.preparedQuery("SELECT account_id, alert_id, kind, value, tripped FROM balance_alert WHERE account_id = $1 "
                        + "ORDER BY created_at, alert_id")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<Alert> out = new ArrayList<>();
                    rows.forEach(r -> out.add(alert(r)));
                    return out;
                });
    }

    public Uni<Void> insert(SqlClient client, String accountId, Alert alert, Instant now) {
        return client.preparedQuery("INSERT INTO balance_alert (account_id, alert_id, kind, value, tripped, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(List.of(accountId, alert.alertId(), alert.kind().name(), alert.value(), alert.tripped(), at(now))))
                .replaceWithVoid();
    }

    /** Whether the alert was there (the DEFAULT row cannot be deleted: it is no alert of the account's own). */
    public Uni<Boolean> delete(SqlClient client, String accountId, String alertId) {
        return client.preparedQuery("DELETE FROM balance_alert WHERE account_id = $1 AND alert_id = $2 AND kind <> 'DEFAULT'")
                .execute(Tuple.of(accountId, alertId)).map(rows -> rows.rowCount() > 0);
    }

    /** After a usage close the open overage starts again from nothing: the account's overage alerts may say so again. */
    public Uni<Void> rearmOverage(SqlClient client, String accountId) {
        return client.preparedQuery("UPDATE balance_alert SET tripped = FALSE WHERE account_id = $1 AND kind = 'OVERAGE' AND tripped")
                .execute(Tuple.of(accountId)).replaceWithVoid();
    }

    private static Alert alert(Row r) {
        return new Alert(r.getString(1), Kind.valueOf(r.getString(2)), r.getLong(3), r.getBoolean(4));
    }
}
