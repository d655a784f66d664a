package dev.tally.plans.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import java.util.List;

/** The free-to-paid demo catalog the local stack loads on first start (never in production). */
public final class DemoCatalog {
    private DemoCatalog() {
    }

    public static List<PlanDraft> plans() {
        return List.of(
                new PlanDraft("free", "Free", "100 credits a day, no card needed", 0, true, true, List.of(),
                        0, BillingInterval.MONTH, 100, 1, List.of(), Overage.block()),
                new PlanDraft("plus", "Plus", "Monthly credits and the pro models", 10, true, false,
                        List.of(price(BillingInterval.MONTH, 1000), price(BillingInterval.YEAR, 10000)),
                        1000, BillingInterval.MONTH, 0, 1, List.of("pro-models"), Overage.block()),
                new PlanDraft("pro", "Pro", "More credits, seats for a team, overage billed", 20, true, false,
                        List.of(price(BillingInterval.MONTH, 3000), price(BillingInterval.YEAR, 30000)),
                        5000, BillingInterval.MONTH, 0, 5, List.of("pro-models", "team-collaboration"),
                        new Overage(Overage.Mode.BILL, 100, 1000, "USD")),
                new PlanDraft("enterprise", "Enterprise", "Talk to sales", 100, false, false, List.of(),
                        100000, BillingInterval.MONTH, 0, 50, List.of("pro-models", "team-collaboration", "sso"),
                        new Overage(Overage.Mode.BILL, 80, 1000, "USD")));
    }

    public static List<CreditPackDraft> creditPacks() {
        return List.of(new CreditPackDraft("pack-500", "500 credits", 500, 500, "USD", null),
                new CreditPackDraft("pack-2000", "2,000 credits", 2000, 1800, "USD", null));
    }

    private static PlanPrice price(BillingInterval interval, long amountMinor) {
        return new PlanPrice(interval, amountMinor, "USD", null);
    }
}
