package dev.tally.credits.repository;

import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.BalanceRecovered;
import dev.tally.contracts.credits.LowBalance;
import dev.tally.contracts.credits.OverageAlert;
import dev.tally.credits.domain.AccountLedger;
import dev.tally.credits.domain.BalanceAlerts;
import dev.tally.credits.domain.BalanceAlerts.Alert;
import dev.tally.credits.domain.BalanceAlerts.Change;
import dev.tally.credits.domain.BalanceAlerts.Watch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The balance alerts of what {@link LedgerWriter} writes: each ledger's alerts are checked against
 * its change (credits-domain's BalanceAlerts), the alerts that flipped are written in one statement
 * and their events join the change's. The debit path reads the alerts with its other reads (the same
 * round trip) and hands them over on the ledgers; any other path has them read here, in one statement,
 * for the ledgers whose balance moved. {@code tally.credits.default-alert-threshold}: the threshold
 * of an account that set none (0: none).
 */
@ApplicationScoped
public class LedgerAlerts {
    private final BalanceAlertRepository alerts;
    private final long defaultThreshold;

    public LedgerAlerts(BalanceAlertRepository alerts,
                        @ConfigProperty(name = "tally.credits.default-alert-threshold", defaultValue = "50") long defaultThreshold) {
        this.alerts = alerts;
        this.defaultThreshold = defaultThreshold;
    }

    public long defaultThreshold() {
        return defaultThreshold;
    }

    /** Reads the alerts of the ledgers that moved and have none yet (nothing is sent when there are none). */
    Uni<Void> readMissing(SqlConnection tx, Collection<AccountLedger> ledgers) {
        List<AccountLedger> missing = ledgers.stream().filter(l -> l.watch() == null && BalanceAlerts.moved(l)).toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return alerts.watches(tx, missing.stream().map(AccountLedger::accountId).distinct().toList())
                .invoke(found -> missing.forEach(l -> l.watch(found.getOrDefault(l.accountId(), Watch.NONE)))).replaceWithVoid();
    }

    /** What the ledgers' changes say, and the statement writing the flipped states (null when none flipped). */
    record Checked(List<OutgoingEvent<?>> events, Uni<Void> statement) {
    }

    Checked check(SqlConnection tx, List<AccountLedger> ledgers) {
        List<OutgoingEvent<?>> events = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<Alert> flipped = new ArrayList<>();
        for (AccountLedger l : ledgers) {
            for (Change c : BalanceAlerts.changes(l, defaultThreshold)) {
                accounts.add(l.accountId());
                flipped.add(c.alert());
                events.add(event(l, c));
            }
        }
        return new Checked(events, flipped.isEmpty() ? null : alerts.store(tx, accounts, flipped, ledgers.get(0).now()));
    }

    private static OutgoingEvent<?> event(AccountLedger l, Change c) {
        String id = l.accountId();
        Alert a = c.alert();
        return switch (c.signal()) {
            case LOW -> OutgoingEvent.forAccount(Events.CREDITS_LOW_BALANCE, id,
                    new LowBalance(id, c.balance(), c.threshold(), l.now(), a.alertId(), a.kind().name()), l.now());
            case RECOVERED -> OutgoingEvent.forAccount(Events.CREDITS_BALANCE_RECOVERED, id,
                    new BalanceRecovered(id, c.balance(), c.threshold(), l.now(), a.alertId(), a.kind().name()), l.now());
            case OVERAGE -> OutgoingEvent.forAccount(Events.CREDITS_OVERAGE_ALERT, id,
                    new OverageAlert(id, c.overage(), a.value(), a.alertId(), l.now()), l.now());
        };
    }
}
