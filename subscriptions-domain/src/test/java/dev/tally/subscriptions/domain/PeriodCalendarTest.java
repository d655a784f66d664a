package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Periods keep the anchor day (docs/rules.md 5) and are half-open, so no instant belongs to two periods. */
class PeriodCalendarTest {
    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void monthlyPeriodsAnchoredOnThe31stEndOnTheLastDayOfShortMonthsAndReturnToThe31st() {
        Instant anchor = at("2026-01-31T10:00:00Z");
        assertEquals(at("2026-02-28T10:00:00Z"), PeriodCalendar.boundary(anchor, MONTH, 1));
        assertEquals(at("2026-03-31T10:00:00Z"), PeriodCalendar.boundary(anchor, MONTH, 2));
        assertEquals(at("2026-04-30T10:00:00Z"), PeriodCalendar.boundary(anchor, MONTH, 3));
        assertEquals(at("2026-05-31T10:00:00Z"), PeriodCalendar.boundary(anchor, MONTH, 4));
    }

    @Test
    void februaryOfTheLeapYear2028EndsOnThe29th() {
        Instant anchor = at("2028-01-31T10:00:00Z");
        assertEquals(at("2028-02-29T10:00:00Z"), PeriodCalendar.boundary(anchor, MONTH, 1));
        assertEquals(at("2028-03-31T10:00:00Z"), PeriodCalendar.boundary(anchor, MONTH, 2));
        assertEquals(at("2028-03-31T10:00:00Z"), PeriodCalendar.nextBoundary(anchor, MONTH, at("2028-02-29T10:00:00Z")));
    }

    @Test
    void theNextEndIsCountedFromTheAnchorSoTheDayNeverDrifts() {
        Instant anchor = at("2027-01-31T00:00:00Z");
        Instant end = anchor;
        for (int i = 0; i < 14; i++) {
            end = PeriodCalendar.nextBoundary(anchor, MONTH, end);
        }
        assertEquals(at("2028-03-31T00:00:00Z"), end); // chaining +1 month from Feb 28 would have given Mar 28
    }

    @Test
    void yearlyPeriodsAnchoredOnALeapDayEndOnFebruary28thUntilTheNextLeapYear() {
        Instant anchor = at("2028-02-29T00:00:00Z");
        assertEquals(at("2029-02-28T00:00:00Z"), PeriodCalendar.boundary(anchor, YEAR, 1));
        assertEquals(at("2032-02-29T00:00:00Z"), PeriodCalendar.boundary(anchor, YEAR, 4));
        assertEquals(at("2030-02-28T00:00:00Z"), PeriodCalendar.nextBoundary(anchor, YEAR, at("2029-02-28T00:00:00Z")));
    }

    @Test
    void thePeriodContainingAnInstantStartsAtTheBoundaryBeforeIt() {
        Instant anchor = at("2028-01-31T00:00:00Z");
        var period = PeriodCalendar.periodContaining(anchor, MONTH, at("2028-03-15T12:00:00Z"));
        assertEquals(new BillingPeriod(at("2028-02-29T00:00:00Z"), at("2028-03-31T00:00:00Z")), period);
        assertEquals(new BillingPeriod(anchor, at("2028-02-29T00:00:00Z")), PeriodCalendar.periodContaining(anchor, MONTH, anchor));
    }

    @Test
    void aYearlyPlanGrantingMonthlyHasMonthlyCreditPeriodsInsideTheYear() {
        Instant anchor = at("2028-01-31T00:00:00Z");
        var year = PeriodCalendar.firstPeriod(anchor, YEAR);
        assertEquals(new BillingPeriod(at("2028-02-29T00:00:00Z"), at("2028-03-31T00:00:00Z")),
                PeriodCalendar.creditPeriodContaining(anchor, year, MONTH, at("2028-03-01T00:00:00Z")));
        assertEquals(new BillingPeriod(at("2028-12-31T00:00:00Z"), at("2029-01-31T00:00:00Z")),
                PeriodCalendar.creditPeriodContaining(anchor, year, MONTH, at("2029-01-30T00:00:00Z")));
    }

    @Test
    void aCreditPeriodLongerThanTheBillingPeriodIsCutToIt() {
        Instant anchor = at("2026-04-01T00:00:00Z");
        var month = PeriodCalendar.firstPeriod(anchor, MONTH);
        assertEquals(month, PeriodCalendar.creditPeriodContaining(anchor, month, YEAR, at("2026-04-10T00:00:00Z")));
    }

    @Test
    void periodsAreHalfOpen() {
        var april = new BillingPeriod(at("2026-04-01T00:00:00Z"), at("2026-05-01T00:00:00Z"));
        assertTrue(april.contains(at("2026-04-01T00:00:00Z")));
        assertFalse(april.contains(at("2026-05-01T00:00:00Z")));
        assertEquals(30L * 86400, april.seconds());
        assertThrows(IllegalArgumentException.class, () -> new BillingPeriod(april.end(), april.start()));
    }
}
