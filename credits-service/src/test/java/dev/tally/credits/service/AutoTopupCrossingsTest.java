package dev.tally.credits.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.Events;
import dev.tally.contracts.credits.AutoTopupRequested;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.AutoTopup;
import dev.tally.credits.domain.DebitOutcome;
import dev.tally.credits.domain.Spend;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auto top-ups of one group of debits, without a database: one request per crossing account, whatever the group holds. */
class AutoTopupCrossingsTest {
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    static DebitOutcome debit(long before, long amount) {
        return new DebitOutcome(new Spend(List.of(new Spend.Take(1, CreditBucketKind.TOPUP, amount)), 0, false), before);
    }

    @Test
    void aGroupWhoseDebitsCrossTheThresholdOneAfterAnotherAsksOnceAndAnAccountWithoutAutoTopUpNever() {
        var armed = Map.of("acc-a", AutoTopup.configure(null, "acc-a", 100, "pack-500", 500, 900, "USD", 2_000, 3));
        var group = new AutoTopupCrossings(armed, NOW);
        long balance = 130;
        for (int i = 0; i < 10; i++) { // 130, 120, ... : the debit from 100 to 90 crosses, the rest are below or above
            group.debited("acc-a", debit(balance, 10));
            group.debited("acc-b", debit(balance, 10));
            balance -= 10;
        }
        assertEquals(1, group.events().size());
        assertEquals(Events.AUTO_TOPUP_REQUESTED, group.events().get(0).type());
        var asked = (AutoTopupRequested) group.events().get(0).payload();
        assertEquals(90, asked.balance());
        assertEquals(1, group.changed().size());
        assertEquals(asked.requestId(), group.changed().get(0).inFlight());
    }

    @Test
    void aCrossingPastTheMonthsCapIsSkippedWithItsFigures() {
        var spent = new AutoTopup("acc-a", 100, "pack-500", 500, 900, "USD", 1_000, 3, true, null, 0, null,
                java.time.YearMonth.of(2026, 3), 900);
        var group = new AutoTopupCrossings(Map.of("acc-a", spent), NOW);
        group.debited("acc-a", debit(150, 100));
        assertEquals(Events.AUTO_TOPUP_SKIPPED, group.events().get(0).type());
        var skipped = (dev.tally.contracts.credits.AutoTopupSkipped) group.events().get(0).payload();
        assertEquals(900, skipped.spentMinor());
        assertEquals("monthly_cap", skipped.reason());
    }
}
