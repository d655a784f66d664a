package dev.tally.plans.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import java.time.Instant;
import java.util.List;

/** What an admin submits for a new plan or for the next version of one. */
public record PlanDraft(String code, String name, String description, int rank, boolean selfServe, boolean defaultFree,
                        List<PlanPrice> prices, long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits,
                        int seatsIncluded, List<String> features, Overage overage) {

    public PlanDraft {
        prices = prices == null ? List.of() : List.copyOf(prices);
        features = features == null ? List.of() : List.copyOf(features);
        overage = overage == null ? Overage.block() : overage;
        creditPeriod = creditPeriod == null ? BillingInterval.MONTH : creditPeriod;
    }

    /** The immutable published form of this draft as version {@code version}. */
    public PlanSnapshot publishAs(int version, Instant at) {
        return new PlanSnapshot(code, version, name, description, rank, selfServe, defaultFree, prices, creditsPerPeriod,
                creditPeriod, dailyCredits, seatsIncluded, features, overage, PlanSnapshot.PlanStatus.PUBLISHED, at);
    }

    public boolean isPaying() {
        return prices.stream().anyMatch(p -> p.amountMinor() > 0);
    }
}
