package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.credits.domain.PlanChangeCredits.Allocation;
import org.junit.jupiter.api.Test;

class PlanChangeCreditsTest {
    private static final long MONTH = 30L * 86400;

    @Test
    void aRenewalForfeitsExactlyWhatWasLeftAndGrantsTheNewPeriod() {
        assertEquals(new Allocation(0, 1000, 137), PlanChangeCredits.atPeriodEnd(137, 1000));
    }

    @Test
    void changeImmediatelyWithAllocationCarriesWhatIsLeftAndAddsTheFullNewGrant() {
        assertEquals(new Allocation(300, 5000, 0), PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE, 300, 1000, 5000, MONTH / 2, MONTH));
    }

    @Test
    void endOfPeriodChangeForfeitsAndGrantsLikeARenewal() {
        assertEquals(new Allocation(0, 1000, 300), PlanChangeCredits.onChange(ChangeTiming.END_OF_PERIOD, 300, 5000, 1000, MONTH / 2, MONTH));
    }

    @Test
    void aProratedUpgradeKeepsWhatIsLeftAndAddsTheProratedDifference() {
        // half the period left: (5000 - 1000) / 2 = 2000 more
        assertEquals(new Allocation(300, 2000, 0),
                PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 300, 1000, 5000, MONTH / 2, MONTH));
    }

    @Test
    void aProratedDowngradeCapsWhatIsLeftAtTheNewGrantForTheRestOfThePeriod() {
        // a third of the period left: cap = 1000 / 3 = 333 (rounded down)
        assertEquals(new Allocation(333, 0, 4667),
                PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 5000, 5000, 1000, MONTH / 3, MONTH));
        assertEquals(new Allocation(200, 0, 0),
                PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 200, 5000, 1000, MONTH / 3, MONTH));
    }

    @Test
    void proratedCreditsRoundDownNeverHalfEvenNorUp() {
        // (3000 - 1000) x 2/3 = 1333.33 -> 1333; (3000 - 1000) x 1/3 = 666.67 -> 666 (half-even would say 667)
        assertEquals(1333, PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 0, 1000, 3000, 2, 3).granted());
        assertEquals(666, PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 0, 1000, 3000, 1, 3).granted());
        assertEquals(999, PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 0, 1000, 3000, MONTH / 2 - 1, MONTH).granted(),
                "one second less than half: 999.999 credits rounds down to 999");
        assertEquals(1000, PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 0, 1000, 3000, MONTH / 2, MONTH).granted());
        // a prorated downgrade's cap rounds down too: 1000 x 2/3 = 666.67 -> 666
        assertEquals(new Allocation(666, 0, 4334), PlanChangeCredits.onChange(ChangeTiming.IMMEDIATE_PRORATED, 5000, 5000, 1000, 2, 3));
    }
}
