package dev.tally.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credit periods inside a billing period keep the start's day and are cut at the period's end. */
class CreditPeriodsTest {
    private static final Instant START = Instant.parse("2027-01-31T10:00:00Z");
    private static final Instant END = Instant.parse("2028-01-31T10:00:00Z");

    @Test
    void monthlyBoundariesInsideAYearKeepTheStartDay() {
        List<Instant> b = CreditPeriods.boundariesInside(START, END, BillingInterval.MONTH);
        assertEquals(11, b.size());
        assertEquals(Instant.parse("2027-02-28T10:00:00Z"), b.get(0));
        assertEquals(Instant.parse("2027-03-31T10:00:00Z"), b.get(1));
        assertEquals(Instant.parse("2027-04-30T10:00:00Z"), b.get(2));
    }

    @Test
    void theCreditPeriodContainingAnInstantEndsAtTheNextBoundaryOrThePeriodEnd() {
        assertEquals(Instant.parse("2027-03-31T10:00:00Z"),
                CreditPeriods.endOfCreditPeriod(START, END, BillingInterval.MONTH, Instant.parse("2027-02-28T10:00:00Z")));
        assertEquals(END, CreditPeriods.endOfCreditPeriod(START, END, BillingInterval.MONTH, Instant.parse("2028-01-01T00:00:00Z")));
        assertEquals(END, CreditPeriods.endOfCreditPeriod(START, END, BillingInterval.YEAR, START));
    }

    @Test
    void onlyAYearlyPlanGrantingMonthlyHasBoundariesInside() {
        assertEquals(true, CreditPeriods.shorterThanBilling(BillingInterval.YEAR, BillingInterval.MONTH));
        assertEquals(false, CreditPeriods.shorterThanBilling(BillingInterval.MONTH, BillingInterval.MONTH));
        assertEquals(false, CreditPeriods.shorterThanBilling(BillingInterval.YEAR, BillingInterval.YEAR));
    }
}
