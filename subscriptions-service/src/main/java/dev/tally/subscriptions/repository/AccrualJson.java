package dev.tally.subscriptions.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.subscriptions.domain.Accrual;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.ChargeLine;
import dev.tally.subscriptions.domain.Money;
import java.time.Instant;
import java.util.List;

/** The stored shape of a subscription's {@link Accrual} (the {@code accrual} column); null stands for nothing owed. */
final class AccrualJson {
    private AccrualJson() {
    }

    record Line(String kind, String description, Instant start, Instant end, long amountMinor, String currency) {
    }

    record Stored(List<Line> lines, Instant since, Instant invoicedFor) {
    }

    static String write(ObjectMapper json, Accrual a) {
        if (a.equals(Accrual.none())) {
            return null;
        }
        var lines = a.lines().stream().map(l -> new Line(l.kind().name(), l.description(), l.period().start(), l.period().end(),
                l.amount().minor(), l.amount().currency())).toList();
        try {
            return json.writeValueAsString(new Stored(lines, a.since(), a.invoicedFor()));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Accrual read(ObjectMapper json, Object stored) {
        if (stored == null) {
            return Accrual.none();
        }
        try {
            Stored s = json.readValue(stored.toString(), Stored.class);
            return new Accrual(s.lines() == null ? List.of() : s.lines().stream().map(l -> new ChargeLine(ChargeLine.Kind.valueOf(l.kind()),
                    l.description(), new BillingPeriod(l.start(), l.end()), new Money(l.amountMinor(), l.currency()))).toList(),
                    s.since(), s.invoicedFor());
        } catch (Exception e) {
            throw new IllegalStateException("unreadable accrual", e);
        }
    }
}
