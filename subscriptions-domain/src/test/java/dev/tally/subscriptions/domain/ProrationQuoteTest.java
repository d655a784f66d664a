package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Worked examples of the money and time rules; plain JUnit, no boot. */
class ProrationQuoteTest {
    private static Money usd(long minor) {
        return new Money(minor, "USD");
    }

    @Test
    void stripesDocumentedCaseTenToTwentyHalfWayThroughAThirtyDayMonthChargesFive() {
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        Instant end = Instant.parse("2026-05-01T00:00:00Z"); // 30 days
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(1000), usd(2000), start, end, Instant.parse("2026-04-16T00:00:00Z"));
        assertEquals(usd(500), quote.creditForUnused());
        assertEquals(usd(1000), quote.charge());
        assertEquals(usd(500), quote.due());
    }

    @Test
    void immediateStartsANewCycleSoTheFullNewPriceIsDueLessTheUnusedCredit() {
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE, usd(1000), usd(3000), start, Instant.parse("2026-05-01T00:00:00Z"),
                Instant.parse("2026-04-16T00:00:00Z"));
        assertEquals(usd(2500), quote.due());
    }

    @Test
    void aDowngradeThatCostsLessLeavesANegativeDueForTheCustomerBalance() {
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(3000), usd(1000), start, Instant.parse("2026-05-01T00:00:00Z"),
                Instant.parse("2026-04-16T00:00:00Z"));
        assertEquals(usd(-1000), quote.due());
        var settled = new CustomerBalance(usd(0)).settle(quote.due());
        assertEquals(usd(0), settled.paid());
        assertEquals(usd(1000), settled.after().balance());
        var next = settled.after().settle(usd(1500));
        assertEquals(usd(500), next.paid());
        assertEquals(usd(0), next.after().balance());
    }

    @Test
    void endOfPeriodChargesNothingNow() {
        var quote = ProrationQuote.of(ChangeTiming.END_OF_PERIOD, usd(1000), usd(3000), Instant.parse("2026-04-01T00:00:00Z"),
                Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-04-16T00:00:00Z"));
        assertEquals(usd(0), quote.due());
    }

    @Test
    void roundingIsHalfEvenAtTheMinorUnit() {
        assertEquals(usd(2), usd(5).times(1, 2));  // 2.5 -> 2
        assertEquals(usd(4), usd(7).times(1, 2));  // 3.5 -> 4
        assertEquals(usd(-2), usd(-5).times(1, 2));
    }

    @Test
    void moneyNeverMixesCurrencies() {
        assertThrows(IllegalArgumentException.class, () -> usd(1).plus(new Money(1, "EUR")));
    }

    @Test
    void monthlyPeriodsKeepTheAnchorDayThroughFebruaryOfALeapYear() {
        Instant anchor = Instant.parse("2028-01-31T10:00:00Z");
        assertEquals(Instant.parse("2028-02-29T10:00:00Z"), Periods.endOf(anchor, MONTH, 1));
        assertEquals(Instant.parse("2028-03-31T10:00:00Z"), Periods.endOf(anchor, MONTH, 2));
        assertEquals(Instant.parse("2028-04-30T10:00:00Z"), Periods.endOf(anchor, MONTH, 3));
        assertEquals(Instant.parse("2027-02-28T10:00:00Z"), Periods.endOf(Instant.parse("2027-01-31T10:00:00Z"), MONTH, 1));
        assertEquals(Instant.parse("2029-02-28T00:00:00Z"), Periods.endOf(Instant.parse("2028-02-29T00:00:00Z"), YEAR, 1));
        assertEquals(Instant.parse("2028-03-31T10:00:00Z"), Periods.nextEnd(anchor, MONTH, Instant.parse("2028-02-29T10:00:00Z")));
    }
}
