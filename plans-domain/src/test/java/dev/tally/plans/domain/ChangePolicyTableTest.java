package dev.tally.plans.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeDirection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every case of the plan-change policy table, with the demo catalog's plans. Plain JUnit: no boot. */
class ChangePolicyTableTest {
    private static final Map<String, PlanSnapshot> PLANS = DemoCatalog.plans().stream()
            .map(d -> d.publishAs(1, Instant.EPOCH)).collect(Collectors.toMap(PlanSnapshot::code, Function.identity()));
    private static final PlanSnapshot FREE = PLANS.get("free");
    private static final PlanSnapshot PLUS = PLANS.get("plus");
    private static final PlanSnapshot PRO = PLANS.get("pro");
    private static final PlanSnapshot ENTERPRISE = PLANS.get("enterprise");

    @Test
    void aHigherRankIsAnUpgradeThatHappensNowByDefault() {
        var policy = ChangePolicyTable.resolve(PLUS, MONTH, PRO, MONTH, List.of());
        assertEquals(ChangeDirection.UPGRADE, policy.direction());
        assertEquals(IMMEDIATE, policy.defaultTiming());
        assertEquals(Set.of(IMMEDIATE, IMMEDIATE_PRORATED), policy.allowedTimings());
        assertEquals(ChangePolicy.Access.SELF_SERVE, policy.access());
    }

    @Test
    void aLowerRankIsADowngradeThatWaitsForThePeriodEnd() {
        var policy = ChangePolicyTable.resolve(PRO, MONTH, PLUS, MONTH, List.of());
        assertEquals(ChangeDirection.DOWNGRADE, policy.direction());
        assertEquals(Set.of(END_OF_PERIOD), policy.allowedTimings());
        assertEquals(END_OF_PERIOD, policy.defaultTiming());
    }

    @Test
    void directionComesFromRankNeverFromPrice() {
        var cheapButHigher = new PlanSnapshot("cheap-top", 1, "x", "", 50, true, false, List.of(), 0, MONTH, 0, 1,
                List.of(), null, PlanSnapshot.PlanStatus.PUBLISHED, Instant.EPOCH);
        assertEquals(ChangeDirection.UPGRADE, ChangePolicyTable.resolve(PRO, MONTH, cheapButHigher, MONTH, List.of()).direction());
    }

    @Test
    void monthlyToYearlyOnTheSamePlanIsAnUpgradeAndYearlyToMonthlyADowngrade() {
        assertEquals(ChangeDirection.UPGRADE, ChangePolicyTable.resolve(PLUS, MONTH, PLUS, YEAR, List.of()).direction());
        assertEquals(ChangeDirection.DOWNGRADE, ChangePolicyTable.resolve(PLUS, YEAR, PLUS, MONTH, List.of()).direction());
    }

    @Test
    void anotherPlanOfTheSameRankAndIntervalIsLateralAndWaitsByDefault() {
        var twin = new PlanSnapshot("plus-art", 1, "Plus Art", "", 10, true, false, List.of(), 0, MONTH, 0, 1,
                List.of(), null, PlanSnapshot.PlanStatus.PUBLISHED, Instant.EPOCH);
        var policy = ChangePolicyTable.resolve(PLUS, MONTH, twin, MONTH, List.of());
        assertEquals(ChangeDirection.LATERAL, policy.direction());
        assertEquals(END_OF_PERIOD, policy.defaultTiming());
    }

    @Test
    void theSamePlanAndIntervalIsNotAChange() {
        var e = assertThrows(IllegalArgumentException.class, () -> ChangePolicyTable.resolve(PLUS, MONTH, PLUS, MONTH, List.of()));
        assertEquals("same_plan", e.getMessage());
    }

    @Test
    void movingToANonSelfServePlanGoesThroughSales() {
        assertEquals(ChangePolicy.Access.CONTACT_SALES, ChangePolicyTable.resolve(PRO, MONTH, ENTERPRISE, MONTH, List.of()).access());
    }

    @Test
    void movingAwayFromANonSelfServePlanIsForAdminsOnly() {
        assertEquals(ChangePolicy.Access.ADMIN_ONLY, ChangePolicyTable.resolve(ENTERPRISE, MONTH, PRO, MONTH, List.of()).access());
    }

    @Test
    void aDirectionOverrideCanAllowProratedDowngradesAsKongDoes() {
        var override = new PolicyOverride(null, null, ChangeDirection.DOWNGRADE, Set.of(END_OF_PERIOD, IMMEDIATE_PRORATED), END_OF_PERIOD);
        var policy = ChangePolicyTable.resolve(PRO, MONTH, PLUS, MONTH, List.of(override));
        assertEquals(Set.of(END_OF_PERIOD, IMMEDIATE_PRORATED), policy.allowedTimings());
        assertEquals("override:DOWNGRADE", policy.decidedBy());
    }

    @Test
    void aPairOverrideBeatsADirectionOverride() {
        var byDirection = new PolicyOverride(null, null, ChangeDirection.DOWNGRADE, Set.of(END_OF_PERIOD, IMMEDIATE_PRORATED), END_OF_PERIOD);
        var plusToFree = new PolicyOverride("plus", "free", null, Set.of(IMMEDIATE_PRORATED), IMMEDIATE_PRORATED);
        var policy = ChangePolicyTable.resolve(PLUS, MONTH, FREE, MONTH, List.of(byDirection, plusToFree));
        assertEquals(Set.of(IMMEDIATE_PRORATED), policy.allowedTimings());
        assertEquals(IMMEDIATE_PRORATED, policy.defaultTiming());
        var other = ChangePolicyTable.resolve(PRO, MONTH, PLUS, MONTH, List.of(byDirection, plusToFree));
        assertEquals("override:DOWNGRADE", other.decidedBy());
    }

    @Test
    void anOverrideWhoseDefaultIsNotAllowedIsRefused() {
        var bad = new PolicyOverride("plus", "free", null, Set.of(END_OF_PERIOD), IMMEDIATE);
        assertEquals("not_allowed", bad.problems().get(0).code());
        var neither = new PolicyOverride(null, null, null, Set.of(END_OF_PERIOD), END_OF_PERIOD);
        assertFalse(neither.problems().isEmpty());
    }
}
