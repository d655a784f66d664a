package dev.tally.credits.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Balance and overage alerts (docs/rules.md, Balance alerts). A balance alert has a threshold in
 * credits (CREDITS), or a percentage of the period's grant (PERCENT_OF_GRANT: the grant times the
 * percentage, rounded down); an account that set none has the DEFAULT threshold. Each remembers
 * whether the balance is below it ({@code tripped}). A change that lowers the spendable balance below
 * a threshold it was not below says LOW once, however many debits of one transaction did it (and
 * the account's lock orders concurrent ones); a change that leaves it at or above a threshold it
 * was below says RECOVERED. An OVERAGE alert says OVERAGE once when the open (not yet closed)
 * overage passes its amount; the usage close re-arms it. The balance is the ledger's spendable
 * credits (holds reserve, they do not spend: a hold's capture does).
 */
public final class BalanceAlerts {
    public static final String DEFAULT_ID = "default";

    public enum Kind { CREDITS, PERCENT_OF_GRANT, OVERAGE, DEFAULT }

    public enum Signal { LOW, RECOVERED, OVERAGE }

    /** One alert as stored: {@code value} is credits, a percentage or an overage amount. */
    public record Alert(String alertId, Kind kind, long value, boolean tripped) {
        Alert tripped(boolean now) {
            return new Alert(alertId, kind, value, now);
        }

        boolean onBalance() {
            return kind != Kind.OVERAGE;
        }
    }

    /** What a ledger knows of its account's alerts when it is written: the alerts and the open overage before the change. */
    public record Watch(List<Alert> alerts, long openOverage) {
        public static final Watch NONE = new Watch(List.of(), 0);
    }

    /** An alert whose state this change moved: its new state, its threshold now, and what to say (null: nothing). */
    public record Change(Alert alert, long threshold, Signal signal, long balance, long overage) {
    }

    private BalanceAlerts() {
    }

    /** A balance alert's threshold in credits, for a period whose grant is {@code grant}. */
    public static long threshold(Alert alert, long grant) {
        return alert.kind() == Kind.PERCENT_OF_GRANT ? Math.multiplyExact(Math.max(0, grant), alert.value()) / 100 : alert.value();
    }

    /** The alerts in force: the account's own, with the default threshold when it set no balance alert (0: no default). */
    public static List<Alert> inForce(List<Alert> stored, long defaultThreshold) {
        List<Alert> out = new ArrayList<>(stored.stream().filter(a -> a.kind() != Kind.DEFAULT).toList());
        if (defaultThreshold > 0 && out.stream().noneMatch(Alert::onBalance)) {
            boolean tripped = stored.stream().anyMatch(a -> a.kind() == Kind.DEFAULT && a.tripped());
            out.add(new Alert(DEFAULT_ID, Kind.DEFAULT, defaultThreshold, tripped));
        }
        return out;
    }

    /**
     * The alerts a change moved from {@code before} to {@code after} spendable credits, with
     * {@code overage} now open (before the change plus what it recorded).
     */
    public static List<Change> check(Watch watch, long defaultThreshold, long grant, long before, long after, long overage) {
        List<Change> out = new ArrayList<>();
        for (Alert a : inForce(watch.alerts(), defaultThreshold)) {
            if (a.kind() == Kind.OVERAGE) {
                if (!a.tripped() && overage > a.value()) {
                    out.add(new Change(a.tripped(true), a.value(), Signal.OVERAGE, after, overage));
                }
                continue;
            }
            long t = threshold(a, grant);
            if (!a.tripped() && after < t && after < before) {
                out.add(new Change(a.tripped(true), t, Signal.LOW, after, overage));
            } else if (a.tripped() && after >= t) {
                out.add(new Change(a.tripped(false), t, Signal.RECOVERED, after, overage));
            }
        }
        return out;
    }

    /** The state a new alert starts in: tripped when the balance (or the open overage) is past it already; nothing is said. */
    public static boolean startsTripped(Kind kind, long value, long grant, long balance, long openOverage) {
        return kind == Kind.OVERAGE ? openOverage > value : balance < threshold(new Alert("", kind, value, false), grant);
    }

    /** The grant a percentage is of: the period's subscription grant, or the daily credits of a plan that grants none per period. */
    public static long grantOf(long creditsPerPeriod, long dailyCredits) {
        return creditsPerPeriod > 0 ? creditsPerPeriod : dailyCredits;
    }

    /** Whether a change moved the spendable balance or recorded overage (else no alert can move). */
    public static boolean moved(AccountLedger ledger) {
        return ledger.available() != ledger.availableAtLoad() || !ledger.record().overage().isEmpty();
    }

    /** The alerts a ledger's change moved; none when it moved nothing or its alerts were not read. */
    public static List<Change> changes(AccountLedger ledger, long defaultThreshold) {
        Watch watch = ledger.watch();
        if (watch == null || !moved(ledger)) {
            return List.of();
        }
        long overage = watch.openOverage() + ledger.record().overage().stream().mapToLong(LedgerRecord.OverageUsage::credits).sum();
        return check(watch, defaultThreshold, grantOf(ledger.periodGrant(), ledger.terms().dailyCredits()), ledger.availableAtLoad(),
                ledger.available(), overage);
    }
}
