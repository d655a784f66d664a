package dev.tally.plans.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.plans.Rollover;
import java.time.Instant;
import java.util.List;

/**
 * What an admin submits for a new plan or for the next version of one. {@code billingMode} (versioned
 * like every other term) is IN_ADVANCE when left out, or IN_ARREARS: nothing charged at sign-up or on a
 * change, the period's prorated fee and usage computed at the usage close and collected on the billing date.
 * {@code rollover} (optional): how much unused subscription credit rolls into the next period, capped.
 */
public record PlanDraft(String code, String name, String description, int rank, boolean selfServe, boolean defaultFree,
                        List<PlanPrice> prices, long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits,
                        int seatsIncluded, List<String> features, Overage overage, BillingMode billingMode, Rollover rollover) {

    @JsonCreator
    public PlanDraft {
        billingMode = BillingMode.orDefault(billingMode);
        prices = prices == null ? List.of() : List.copyOf(prices);
        features = features == null ? List.of() : List.copyOf(features);
        overage = overage == null ? Overage.block() : overage;
        creditPeriod = creditPeriod == null ? BillingInterval.MONTH : creditPeriod;
    }

    /** A draft without rollover. */
    public PlanDraft(String code, String name, String description, int rank, boolean selfServe, boolean defaultFree,
                     List<PlanPrice> prices, long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits,
                     int seatsIncluded, List<String> features, Overage overage, BillingMode billingMode) {
        this(code, name, description, rank, selfServe, defaultFree, prices, creditsPerPeriod, creditPeriod, dailyCredits,
                seatsIncluded, features, overage, billingMode, null);
    }

    /** A draft of a plan billed in advance. */
    public PlanDraft(String code, String name, String description, int rank, boolean selfServe, boolean defaultFree,
                     List<PlanPrice> prices, long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits,
                     int seatsIncluded, List<String> features, Overage overage) {
        this(code, name, description, rank, selfServe, defaultFree, prices, creditsPerPeriod, creditPeriod, dailyCredits,
                seatsIncluded, features, overage, BillingMode.IN_ADVANCE, null);
    }

    /** The immutable published form of this draft as version {@code version}. */
    public PlanSnapshot publishAs(int version, Instant at) {
        return new PlanSnapshot(code, version, name, description, rank, selfServe, defaultFree, prices, creditsPerPeriod,
                creditPeriod, dailyCredits, seatsIncluded, features, overage, PlanSnapshot.PlanStatus.PUBLISHED, at, billingMode, rollover);
    }

    public boolean isPaying() {
        return prices.stream().anyMatch(p -> p.amountMinor() > 0);
    }
}
