package dev.tally.subscriptions.domain;

import static dev.tally.subscriptions.domain.TestPlans.APRIL_1;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Worked examples of docs/rules.md "Money of a change": by the second, half-even at the minor unit. */
class ProrationQuoteTest {
    private static final BillingPeriod APRIL = new BillingPeriod(APRIL_1, MAY_1);

    @Test
    void stripesDocumentedCaseTenToTwentyHalfWayThroughAThirtyDayMonthChargesFive() {
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(1000), usd(2000), APRIL, APRIL_16);
        assertEquals(usd(500), quote.creditForUnused());
        assertEquals(usd(1000), quote.charge());
        assertEquals(usd(500), quote.due());
        assertEquals(15L * 86400, quote.secondsLeft());
        assertEquals(30L * 86400, quote.secondsInPeriod());
    }

    @Test
    void immediateStartsANewCycleSoTheFullNewPriceIsDueLessTheUnusedCredit() {
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE, usd(1000), usd(3000), APRIL, APRIL_16);
        assertEquals(usd(500), quote.creditForUnused());
        assertEquals(usd(3000), quote.charge());
        assertEquals(usd(2500), quote.due());
    }

    @Test
    void aProratedDowngradeLeavesANegativeDue() {
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(3000), usd(1000), APRIL, APRIL_16);
        assertEquals(usd(-1000), quote.due());
    }

    @Test
    void endOfPeriodChargesNothingNow() {
        var quote = ProrationQuote.of(ChangeTiming.END_OF_PERIOD, usd(1000), usd(3000), APRIL, APRIL_16);
        assertEquals(usd(0), quote.creditForUnused());
        assertEquals(usd(0), quote.charge());
        assertEquals(usd(0), quote.due());
    }

    @Test
    void prorationIsBySecondAndEachStepRoundsHalfEven() {
        // one second short of half: 1296001 of 2592000 seconds left of 10.01 -> 500.5003... -> 501 minor
        Instant justBeforeHalf = APRIL_16.minusSeconds(1);
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(1001), usd(1001), APRIL, justBeforeHalf);
        assertEquals(usd(501), quote.creditForUnused());
        // exactly half of 10.01 is 500.5 minor, which rounds to the even 500 on both sides
        var half = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(1001), usd(3003), APRIL, APRIL_16);
        assertEquals(usd(500), half.creditForUnused());
        assertEquals(usd(1502), half.charge()); // 1501.5 -> 1502
        assertEquals(usd(1002), half.due());
    }

    @Test
    void aThirtyOneDayPeriodEndingOnThe31stProratesOverItsOwnLength() {
        var march = new BillingPeriod(Instant.parse("2028-02-29T00:00:00Z"), Instant.parse("2028-03-31T00:00:00Z")); // 31 days
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE_PRORATED, usd(3100), usd(6200), march,
                Instant.parse("2028-03-21T00:00:00Z"));
        assertEquals(usd(1000), quote.creditForUnused()); // 10 of 31 days left
        assertEquals(usd(2000), quote.charge());
    }

    @Test
    void februaryOfALeapYearHasTwentyNineDaysToProrateOver() {
        var feb = new BillingPeriod(Instant.parse("2028-01-31T00:00:00Z"), Instant.parse("2028-02-29T00:00:00Z"));
        assertEquals(29L * 86400, feb.seconds());
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE, usd(2900), usd(2900), feb, Instant.parse("2028-02-28T00:00:00Z"));
        assertEquals(usd(100), quote.creditForUnused()); // one day of 29
        assertEquals(usd(2800), quote.due());
    }

    @Test
    void aChangeAfterThePeriodEndedHasNothingLeftToCredit() {
        var quote = ProrationQuote.of(ChangeTiming.IMMEDIATE, usd(1000), usd(3000), APRIL, MAY_1.plusSeconds(60));
        assertEquals(usd(0), quote.creditForUnused());
        assertEquals(usd(3000), quote.due());
    }

    @Test
    void pricesInTwoCurrenciesCannotBeProrated() {
        assertThrows(IllegalArgumentException.class,
                () -> ProrationQuote.of(ChangeTiming.END_OF_PERIOD, usd(1000), new Money(1000, "EUR"), APRIL, APRIL_16));
    }

    @Test
    void theOldSignatureWithInstantsGivesTheSameQuote() {
        assertEquals(ProrationQuote.of(ChangeTiming.IMMEDIATE, usd(1000), usd(2000), APRIL, APRIL_16),
                ProrationQuote.of(ChangeTiming.IMMEDIATE, usd(1000), usd(2000), APRIL_1, MAY_1, APRIL_16));
    }
}
