package dev.tally.credits.repository;

import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.domain.BalanceAlerts.Alert;
import dev.tally.credits.domain.BalanceAlerts.Kind;
import dev.tally.credits.domain.BalanceAlerts.Watch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a group of debits needs of its accounts besides their buckets, in one statement: the credits
 * held by open holds ({@link HoldRepository#held(SqlClient, List, Instant)}), the balance alerts
 * with the open overage ({@link BalanceAlertRepository#watches}) and the armed auto top-up
 * ({@link AutoTopupRepository#armed}), the same rows as those three reads. It must run as a statement
 * of its own behind the account locks, never inside the locking statement: a statement that waited
 * for a lock still reads every other table as of its start (READ COMMITTED), so it would miss what
 * the lock's last holder committed (an alert it tripped, a top-up it put in flight) and say it again.
 */
@ApplicationScoped
public class DebitWatches {
    // LATERAL: each account's rows by index, whatever the plan's guess at the array's length; alerts oldest first.
    private static final String READ = """
            SELECT u.id,
                   (SELECT sum(h.credits) FROM credit_hold h
                     WHERE h.account_id = u.id AND h.status = 'OPEN' AND h.expires_at > $2) AS held,
                   a.ids, a.kinds, a.vals, a.tripped,
                   CASE WHEN a.overage_watched THEN (SELECT coalesce(sum(o.credits), 0) FROM overage_usage o
                                                      WHERE o.account_id = u.id AND o.closed_for_period_end IS NULL)
                        ELSE 0 END AS open_overage,
                   t.*
              FROM unnest($1::text[]) AS u(id)
             CROSS JOIN LATERAL (
                   SELECT array_agg(b.alert_id ORDER BY b.created_at, b.alert_id) AS ids,
                          array_agg(b.kind ORDER BY b.created_at, b.alert_id) AS kinds,
                          array_agg(b.value ORDER BY b.created_at, b.alert_id) AS vals,
                          array_agg(b.tripped ORDER BY b.created_at, b.alert_id) AS tripped,
                          bool_or(b.kind = 'OVERAGE' AND NOT b.tripped) AS overage_watched
                     FROM balance_alert b WHERE b.account_id = u.id) AS a
              LEFT JOIN LATERAL (
                   SELECT %s FROM auto_topup x WHERE x.account_id = u.id AND x.enabled AND x.in_flight IS NULL) AS t ON TRUE
            """.formatted(AutoTopupRepository.COLUMNS);

    /** By account; an account without any is absent from that map (no holds: 0 held; no alerts: the default threshold). Alerts oldest first. */
    public record Watched(Map<String, Long> held, Map<String, Watch> alerts, Map<String, AutoTopup> armed) {
    }

    public Uni<Watched> read(SqlClient client, List<String> accountIds, Instant now) {
        return client.preparedQuery(READ).execute(Tuple.of(accountIds.toArray(String[]::new), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, Long> held = new HashMap<>();
                    Map<String, Watch> alerts = new HashMap<>();
                    Map<String, AutoTopup> armed = new HashMap<>();
                    for (Row r : rows) {
                        String account = r.getString("id");
                        Long h = r.getLong("held");
                        if (h != null) {
                            held.put(account, h);
                        }
                        String[] ids = r.getArrayOfStrings("ids");
                        if (ids != null) {
                            alerts.put(account, new Watch(alerts(ids, r), r.getLong("open_overage")));
                        }
                        if (r.getString("account_id") != null) {
                            armed.put(account, AutoTopupRepository.autoTopup(r));
                        }
                    }
                    return new Watched(held, alerts, armed);
                });
    }

    private static List<Alert> alerts(String[] ids, Row r) {
        String[] kinds = r.getArrayOfStrings("kinds");
        Long[] values = r.getArrayOfLongs("vals");
        Boolean[] tripped = r.getArrayOfBooleans("tripped");
        List<Alert> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            out.add(new Alert(ids[i], Kind.valueOf(kinds[i]), values[i], tripped[i]));
        }
        return List.copyOf(out);
    }
}
