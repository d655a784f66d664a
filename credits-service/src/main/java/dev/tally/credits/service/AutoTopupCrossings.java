package dev.tally.credits.service;

import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.contracts.Events;
import dev.tally.contracts.credits.AutoTopupRequested;
import dev.tally.contracts.credits.AutoTopupSkipped;
import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.domain.AutoTopup.Decision;
import dev.tally.credits.domain.AutoTopup.Outcome;
import dev.tally.credits.domain.DebitOutcome;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The auto top-ups of one group of debits: the group's transaction reads the armed ones of its
 * accounts with its other reads (under the accounts' locks, so concurrent debits of an account take
 * turns and only the one that crosses the threshold first asks), each debit is shown to its
 * account's, and what they asked for is written with the group ({@code credits.auto-topup-requested}
 * or {@code credits.auto-topup-skipped} in the outbox, the row with its request in flight). An
 * account without an armed auto top-up costs one map lookup per debit.
 */
final class AutoTopupCrossings {
    private final Map<String, AutoTopup> armed;
    private final Instant now;
    private final YearMonth month;
    private final Map<String, AutoTopup> changed = new HashMap<>();
    private final List<OutgoingEvent<?>> events = new ArrayList<>();

    AutoTopupCrossings(Map<String, AutoTopup> armed, Instant now) {
        this.armed = armed;
        this.now = now;
        this.month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    }

    /** A debit of {@code accountId} the ledger took. */
    void debited(String accountId, DebitOutcome debit) {
        if (armed.isEmpty()) {
            return;
        }
        AutoTopup t = changed.getOrDefault(accountId, armed.get(accountId));
        if (t == null) {
            return;
        }
        long after = debit.availableBefore() - debit.spend().covered();
        Decision d = t.onDebit(debit.availableBefore(), after, UUID.randomUUID(), month);
        if (d.outcome() == Outcome.NONE) {
            return;
        }
        changed.put(accountId, d.after());
        long balance = Math.max(0, after);
        if (d.outcome() == Outcome.REQUESTED) {
            events.add(OutgoingEvent.forAccount(Events.AUTO_TOPUP_REQUESTED, accountId, new AutoTopupRequested(d.after().inFlight(), accountId,
                    t.packCode(), t.packCredits(), t.packPriceMinor(), t.currency(), balance, t.threshold(), now), now));
        } else {
            events.add(OutgoingEvent.forAccount(Events.AUTO_TOPUP_SKIPPED, accountId, new AutoTopupSkipped(accountId, t.packCode(), "monthly_cap",
                    t.packPriceMinor(), t.spentIn(month), t.monthlyCapMinor(), t.currency(), balance, t.threshold(), now), now));
        }
    }

    List<OutgoingEvent<?>> events() {
        return events;
    }

    List<AutoTopup> changed() {
        return List.copyOf(changed.values());
    }
}
