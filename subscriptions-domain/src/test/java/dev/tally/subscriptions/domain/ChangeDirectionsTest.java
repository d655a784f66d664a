package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static dev.tally.contracts.subscriptions.ChangeDirection.DOWNGRADE;
import static dev.tally.contracts.subscriptions.ChangeDirection.LATERAL;
import static dev.tally.contracts.subscriptions.ChangeDirection.UPGRADE;
import static dev.tally.subscriptions.domain.TestPlans.FREE;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.PRO_MONTHLY_ONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upgrade or downgrade is decided by rank, never guessed from price (docs/rules.md 1, Plans). */
class ChangeDirectionsTest {

    @Test
    void aHigherRankIsAnUpgradeAndALowerOneADowngrade() {
        assertEquals(UPGRADE, ChangeDirections.between(FREE, MONTH, PLUS, MONTH));
        assertEquals(DOWNGRADE, ChangeDirections.between(PRO, MONTH, PLUS, YEAR));
    }

    @Test
    void atEqualRankMonthlyToYearlyIsAnUpgradeAndYearlyToMonthlyADowngrade() {
        assertEquals(UPGRADE, ChangeDirections.between(PLUS, MONTH, PLUS, YEAR));
        assertEquals(DOWNGRADE, ChangeDirections.between(PLUS, YEAR, PLUS, MONTH));
        assertEquals(LATERAL, ChangeDirections.between(PRO, MONTH, PRO_MONTHLY_ONLY, MONTH));
    }

    @Test
    void aCheaperPlanOfHigherRankIsStillAnUpgrade() {
        var cheapButHigher = new PlanTerms("promo", 1, 30, true, false, Map.of(MONTH, TestPlans.usd(1)), 0, MONTH, 0, 1, List.of());
        assertEquals(UPGRADE, ChangeDirections.between(PRO, MONTH, cheapButHigher, MONTH));
    }

    @Test
    void theFallbackPolicyMakesUpgradesImmediateAndDowngradesWaitForThePeriodEnd() {
        assertEquals(dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE, ChangePolicy.fallback(UPGRADE, false).defaultTiming());
        assertEquals(dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD,
                ChangePolicy.fallback(DOWNGRADE, false).defaultTiming());
    }
}
