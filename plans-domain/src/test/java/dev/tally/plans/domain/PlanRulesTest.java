package dev.tally.plans.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlanRulesTest {
    private static final List<PlanSnapshot> DEMO = DemoCatalog.plans().stream().map(d -> d.publishAs(1, Instant.EPOCH)).toList();

    private static PlanDraft plan(String code, int rank, boolean defaultFree, List<PlanPrice> prices, Overage overage) {
        return new PlanDraft(code, "Name", "", rank, true, defaultFree, prices, 100, BillingInterval.MONTH, 0, 1,
                List.of("pro-models"), overage);
    }

    private static Set<String> codes(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ":" + e.code()).collect(Collectors.toSet());
    }

    @Test
    void theDemoCatalogIsValid() {
        for (PlanDraft d : DemoCatalog.plans()) {
            assertEquals(List.of(), PlanRules.validate(d, DEMO), d.code());
        }
        DemoCatalog.creditPacks().forEach(p -> assertEquals(List.of(), p.problems()));
    }

    @Test
    void negativePricesUnknownCurrenciesAndDuplicateIntervalsAreEachNamed() {
        var draft = plan("studio", 30, false, List.of(new PlanPrice(BillingInterval.MONTH, -1, "USD", null),
                new PlanPrice(BillingInterval.MONTH, 100, "XXZ", null)), Overage.block());
        assertEquals(Set.of("prices[0].amountMinor:negative", "prices[1].interval:duplicate_interval",
                "prices[1].currency:unknown_currency"), codes(PlanRules.validate(draft, DEMO)));
    }

    @Test
    void pricesInTwoCurrenciesAreRefused() {
        var draft = plan("studio", 30, false, List.of(new PlanPrice(BillingInterval.MONTH, 100, "USD", null),
                new PlanPrice(BillingInterval.YEAR, 1000, "EUR", null)), Overage.block());
        assertTrue(codes(PlanRules.validate(draft, DEMO)).contains("prices:mixed_currencies"));
    }

    @Test
    void aSecondDefaultFreePlanIsRefused() {
        var draft = plan("hobby", 1, true, List.of(), Overage.block());
        assertTrue(codes(PlanRules.validate(draft, DEMO)).contains("defaultFree:second_default_free"));
    }

    @Test
    void aRankHeldByAnotherPlanIsRefusedButANewVersionKeepsItsOwn() {
        assertTrue(codes(PlanRules.validate(plan("studio", 10, false,
                List.of(new PlanPrice(BillingInterval.MONTH, 100, "USD", null)), Overage.block()), DEMO)).contains("rank:rank_taken"));
        assertEquals(List.of(), PlanRules.validate(plan("plus", 10, false,
                List.of(new PlanPrice(BillingInterval.MONTH, 1200, "USD", null)), Overage.block()), DEMO));
    }

    @Test
    void aSelfServePaidPlanNeedsAPriceAndTheFreePlanMustNotHaveOne() {
        assertTrue(codes(PlanRules.validate(plan("studio", 30, false, List.of(), Overage.block()), DEMO)).contains("prices:price_required"));
        assertTrue(codes(PlanRules.validate(plan("free", 0, true,
                List.of(new PlanPrice(BillingInterval.MONTH, 100, "USD", null)), Overage.block()), DEMO)).contains("prices:free_plan_priced"));
    }

    @Test
    void billedOverageNeedsAPriceAndABlock() {
        var draft = plan("studio", 30, false, List.of(new PlanPrice(BillingInterval.MONTH, 100, "USD", null)),
                new Overage(Overage.Mode.BILL, 0, 0, "USD"));
        assertEquals(Set.of("overage.unitPriceMinor:required", "overage.unitCredits:required"), codes(PlanRules.validate(draft, DEMO)));
    }

    @Test
    void badCodesFeaturesAndNegativeCreditsAreNamed() {
        var draft = new PlanDraft("Bad Code", "", "", 30, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 100, "USD", null)),
                -1, BillingInterval.MONTH, -1, -1, List.of("Pro Models"), Overage.block());
        assertEquals(Set.of("code:invalid_code", "name:required", "creditsPerPeriod:negative", "dailyCredits:negative",
                "seatsIncluded:negative", "features[0]:invalid_feature"), codes(PlanRules.validate(draft, DEMO)));
    }

    @Test
    void aMonthlyOnlyPlanCannotGrantYearly() {
        var draft = new PlanDraft("studio", "Studio", "", 30, true, false, List.of(new PlanPrice(BillingInterval.MONTH, 100, "USD", null)),
                100, BillingInterval.YEAR, 0, 1, List.of(), Overage.block());
        assertTrue(codes(PlanRules.validate(draft, DEMO)).contains("creditPeriod:longer_than_billing"));
    }

    @Test
    void aCreditPackWithoutCreditsOrWithANegativePriceIsRefused() {
        assertEquals(Set.of("credits:required", "amountMinor:not_positive"),
                codes(new CreditPackDraft("pack-x", "X", 0, -5, "USD", null).problems()));
    }
}
