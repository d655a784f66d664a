package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;
import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.ENTERPRISE;
import static dev.tally.subscriptions.domain.TestPlans.FREE;
import static dev.tally.subscriptions.domain.TestPlans.PLUS;
import static dev.tally.subscriptions.domain.TestPlans.PLUS_EUR;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.PRO_MONTHLY_ONLY;
import static dev.tally.subscriptions.domain.TestPlans.onApril;
import static dev.tally.subscriptions.domain.TestPlans.policy;
import static dev.tally.subscriptions.domain.TestPlans.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every refused change carries its own stable code and a message naming what is wrong. */
class ChangeRefusalsTest {

    private static SubscriptionRuleViolation refused(String code, Executable action) {
        var violation = assertThrows(SubscriptionRuleViolation.class, action);
        assertEquals(code, violation.code());
        return violation;
    }

    @Test
    void theSamePlanAndIntervalIsRefusedAsSamePlan() {
        var v = refused("same_plan", () -> onApril(PLUS, MONTH).preview(request(PLUS, MONTH, PLUS, MONTH, null), APRIL_16));
        assertTrue(v.getMessage().contains("plus"));
    }

    @Test
    void anIntervalThePlanIsNotSoldAtIsRefused() {
        var v = refused("interval_not_offered",
                () -> onApril(PLUS, MONTH).preview(request(PLUS, MONTH, PRO_MONTHLY_ONLY, YEAR, null), APRIL_16));
        assertTrue(v.getMessage().contains("YEAR"));
    }

    @Test
    void aTimingThePolicyDoesNotAllowIsRefused() {
        var v = refused("timing_not_allowed",
                () -> onApril(PRO, MONTH).preview(request(PRO, MONTH, PLUS, MONTH, IMMEDIATE), APRIL_16));
        assertTrue(v.getMessage().contains("IMMEDIATE"));
    }

    @Test
    void supportMayUseATimingThePolicyDoesNotAllowAnAccountAndTheRefusalSaysSo() {
        var v = refused("timing_not_allowed",
                () -> onApril(PRO, MONTH).preview(request(PRO, MONTH, PLUS, MONTH, IMMEDIATE_PRORATED), APRIL_16));
        assertTrue(v.getMessage().contains("Support can make this change"), v.getMessage());
        var bySupport = new ChangeRequest(PRO, PLUS, MONTH, IMMEDIATE_PRORATED, policy(PRO, MONTH, PLUS, MONTH), true, true);
        var outcome = onApril(PRO, MONTH).change(bySupport, APRIL_16);
        assertEquals("plus", outcome.subscription().planCode());
        assertEquals(IMMEDIATE_PRORATED, outcome.quote().timing());
        var byDefault = new ChangeRequest(PRO, PLUS, MONTH, null, policy(PRO, MONTH, PLUS, MONTH), true, true);
        assertEquals(END_OF_PERIOD, onApril(PRO, MONTH).preview(byDefault, APRIL_16).timing(), "the policy's default when none is named");
    }

    @Test
    void aProratedChangeCannotChangeTheIntervalBecauseItKeepsTheBillingDate() {
        refused("timing_not_allowed", () -> onApril(PLUS, MONTH).preview(request(PLUS, MONTH, PLUS, YEAR, IMMEDIATE_PRORATED), APRIL_16));
    }

    @Test
    void movingToANonSelfServePlanIsAContactSalesRequest() {
        refused("contact_sales_required", () -> onApril(PRO, MONTH).preview(request(PRO, MONTH, ENTERPRISE, MONTH, null), APRIL_16));
    }

    @Test
    void aPolicyThatNeedsSalesIsAContactSalesRequestEvenToASelfServePlan() {
        var sales = new ChangePolicy(dev.tally.contracts.subscriptions.ChangeDirection.UPGRADE, java.util.Set.of(IMMEDIATE), IMMEDIATE, true);
        refused("contact_sales_required",
                () -> onApril(PLUS, MONTH).preview(ChangeRequest.of(PLUS, PRO, MONTH, null, sales, true), APRIL_16));
    }

    @Test
    void anAdminMayMoveAnAccountOntoANonSelfServePlan() {
        var r = new ChangeRequest(PRO, ENTERPRISE, MONTH, null, policy(PRO, MONTH, ENTERPRISE, MONTH), true, true);
        assertEquals("enterprise", onApril(PRO, MONTH).change(r, APRIL_16).subscription().planCode());
    }

    @Test
    void leavingANonSelfServePlanIsForAdminsOnly() {
        var enterprise = onApril(ENTERPRISE, MONTH);
        refused("admin_only", () -> enterprise.preview(request(ENTERPRISE, MONTH, PRO, MONTH, null), APRIL_16));
        var asAdmin = new ChangeRequest(ENTERPRISE, PRO, MONTH, null, policy(ENTERPRISE, MONTH, PRO, MONTH), true, true);
        assertEquals("pro", enterprise.change(asAdmin, APRIL_16).subscription().pending().orElseThrow().planCode());
    }

    @Test
    void freeToPaidWithoutAPaymentMethodIsRefusedOnChangeButOnlyWarnedOnPreview() {
        var free = onApril(FREE, MONTH);
        var noCard = ChangeRequest.of(FREE, PLUS, MONTH, null, policy(FREE, MONTH, PLUS, MONTH), false);
        var quote = free.preview(noCard, APRIL_16);
        assertTrue(quote.freeToPaid());
        assertTrue(quote.warnings().stream().anyMatch(w -> w.code().equals("payment_method_required")));
        refused("payment_method_required", () -> free.change(noCard, APRIL_16));
        var withCard = ChangeRequest.of(FREE, PLUS, MONTH, null, policy(FREE, MONTH, PLUS, MONTH), true);
        assertEquals("plus", free.change(withCard, APRIL_16).subscription().planCode());
    }

    @Test
    void aPaidToPaidChangeNeedsNoPaymentStep() {
        var noCard = ChangeRequest.of(PLUS, PRO, MONTH, null, policy(PLUS, MONTH, PRO, MONTH), false);
        assertEquals("pro", onApril(PLUS, MONTH).change(noCard, APRIL_16).subscription().planCode());
    }

    @Test
    void plansInAnotherCurrencyCannotBeMixedIntoOneChange() {
        refused("currency_mismatch", () -> onApril(PLUS, MONTH).preview(request(PLUS, MONTH, PLUS_EUR, MONTH, END_OF_PERIOD), APRIL_16));
    }

    @Test
    void aRequestNamingAnotherVersionThanTheOneInForceIsAProgrammingError() {
        var plusV2 = new PlanTerms("plus", 2, 10, true, false, PLUS.prices(), 1000, MONTH, 0, 1, java.util.List.of());
        assertThrows(IllegalArgumentException.class,
                () -> onApril(PLUS, MONTH).preview(request(plusV2, MONTH, PRO, MONTH, null), APRIL_16));
    }

    @Test
    void everyCodeIsSnakeCase() {
        for (RuleCode code : RuleCode.values()) {
            assertTrue(code.code().matches("[a-z]+(_[a-z]+)*"), code.code());
        }
        assertEquals("pending_change_blocks_cancel", RuleCode.PENDING_CHANGE_BLOCKS_CANCEL.code());
    }
}
