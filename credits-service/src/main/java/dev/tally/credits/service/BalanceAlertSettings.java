package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.BalanceAlerts;
import dev.tally.credits.domain.BalanceAlerts.Alert;
import dev.tally.credits.domain.BalanceAlerts.Kind;
import dev.tally.credits.repository.BalanceAlertRepository;
import dev.tally.credits.repository.LedgerAlerts;
import dev.tally.credits.repository.LedgerRepository;
import dev.tally.credits.repository.LedgerWriter;
import dev.tally.credits.repository.OverageRepository;
import dev.tally.backbone.tx.Tx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * An account's balance and overage alerts, set, read and deleted through the API (docs/rules.md,
 * Balance alerts). Each call locks the account and brings its ledger up to now first (due expiries,
 * the day's reset: written, and their alerts checked, as on any change), so a new alert starts in the
 * state the balance is in: one the balance is below already starts tripped and says nothing until
 * the balance recovers. At most {@link #MAX_ALERTS} per account; one per kind and value.
 */
@ApplicationScoped
public class BalanceAlertSettings {
    public static final int MAX_ALERTS = 10;
    private final Pool pool;
    private final LedgerRepository ledgers;
    private final LedgerWriter writer;
    private final BalanceAlertRepository alerts;
    private final OverageRepository overage;
    private final LedgerAlerts defaults;
    private final TallyClock clock;

    public BalanceAlertSettings(Pool pool, LedgerRepository ledgers, LedgerWriter writer, BalanceAlertRepository alerts,
                                OverageRepository overage, LedgerAlerts defaults, TallyClock clock) {
        this.pool = pool;
        this.ledgers = ledgers;
        this.writer = writer;
        this.alerts = alerts;
        this.overage = overage;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** One alert: {@code thresholdCredits} is what a balance alert compares the balance with now (an overage alert: its amount). */
    public record AlertView(String alertId, String kind, long value, long thresholdCredits, boolean tripped) {
    }

    /** {@code defaultThreshold} applies when the account has no balance alert of its own (then listed as kind DEFAULT). */
    public record AlertsView(String accountId, long balance, long periodGrant, long defaultThreshold, List<AlertView> alerts) {
    }

    public Uni<AlertsView> list(String accountId) {
        return current(accountId, (tx, ledger) -> alerts.of(tx, accountId).map(stored -> view(ledger, stored)));
    }

    public Uni<AlertView> create(String accountId, Kind kind, long value) {
        if (kind == Kind.DEFAULT) {
            return Uni.createFrom().failure(ProblemException.invalidField("kind", "must be CREDITS, PERCENT_OF_GRANT or OVERAGE"));
        }
        if (kind == Kind.PERCENT_OF_GRANT && value > 100) {
            return Uni.createFrom().failure(ProblemException.invalidField("value", "a percentage is 1 to 100"));
        }
        return current(accountId, (tx, ledger) -> alerts.of(tx, accountId).flatMap(stored -> {
            List<Alert> own = stored.stream().filter(a -> a.kind() != Kind.DEFAULT).toList();
            if (own.stream().anyMatch(a -> a.kind() == kind && a.value() == value)) {
                throw ProblemException.naming(409, "alert_exists", "this account has a " + kind + " alert of " + value + " already", "value");
            }
            if (own.size() >= MAX_ALERTS) {
                throw ProblemException.naming(409, "too_many_alerts", "an account has at most " + MAX_ALERTS + " alerts", "kind");
            }
            Uni<Long> open = kind == Kind.OVERAGE
                    ? overage.open(tx, accountId).map(u -> u.stream().mapToLong(o -> o.credits()).sum()) : Uni.createFrom().item(0L);
            return open.flatMap(overageNow -> {
                long grant = grant(ledger);
                Alert alert = new Alert(UUID.randomUUID().toString(), kind, value,
                        BalanceAlerts.startsTripped(kind, value, grant, ledger.available(), overageNow));
                return alerts.insert(tx, accountId, alert, clock.instant()).replaceWith(view(alert, grant));
            });
        }));
    }

    public Uni<Void> delete(String accountId, String alertId) {
        return current(accountId, (tx, ledger) -> alerts.delete(tx, accountId, alertId).map(found -> {
            if (!found) {
                throw ProblemException.naming(404, "alert_not_found", "this account has no alert " + alertId, "alertId");
            }
            return null;
        }));
    }

    /** In one transaction: the account locked, its ledger brought up to now and written, then {@code then}. */
    private <T> Uni<T> current(String accountId, BiFunction<SqlConnection, AccountLedger, Uni<T>> then) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> ledgers.load(tx, accountId, 0, now).flatMap(ledger -> {
            ledger.touch();
            return writer.write(Tx.of(tx), List.of(ledger)).flatMap(x -> then.apply(tx, ledger));
        }));
    }

    private AlertsView view(AccountLedger ledger, List<Alert> stored) {
        long grant = grant(ledger);
        return new AlertsView(ledger.accountId(), ledger.available(), grant, defaults.defaultThreshold(),
                BalanceAlerts.inForce(stored, defaults.defaultThreshold()).stream().map(a -> view(a, grant)).toList());
    }

    private static AlertView view(Alert a, long grant) {
        return new AlertView(a.alertId(), a.kind().name(), a.value(), BalanceAlerts.threshold(a, grant), a.tripped());
    }

    private static long grant(AccountLedger ledger) {
        return BalanceAlerts.grantOf(ledger.periodGrant(), ledger.terms().dailyCredits());
    }
}
