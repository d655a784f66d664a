package dev.tally.contracts.plans;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * One published version of a plan, in full: the value on the compacted plans topic (key = plan
 * code). A newer version of the same code replaces the older in the topic, but every version stays
 * readable from plans-service, and subscriptions keep the version they bought.
 *
 * @param creditsPerPeriod   credits granted each credit period
 * @param creditPeriod       how often the grant comes; may be shorter than the billing interval
 * @param dailyCredits       free credits granted each UTC day (0 for none)
 * @param overage            what a debit beyond the balance does
 * @param billingMode        when the fee is charged: in advance (the default; null in snapshots published before
 *                           billing modes existed) or in arrears
 * @param rollover           how much unused subscription credit rolls into the next period (null: none, all is forfeited)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanSnapshot(
        String code,
        int version,
        String name,
        String description,
        int rank,
        boolean selfServe,
        boolean defaultFree,
        List<PlanPrice> prices,
        long creditsPerPeriod,
        BillingInterval creditPeriod,
        long dailyCredits,
        int seatsIncluded,
        List<String> features,
        Overage overage,
        PlanStatus status,
        Instant publishedAt,
        BillingMode billingMode,
        Rollover rollover) {

    @JsonCreator
    public PlanSnapshot {
        billingMode = BillingMode.orDefault(billingMode);
    }

    /** A version without rollover. */
    public PlanSnapshot(String code, int version, String name, String description, int rank, boolean selfServe, boolean defaultFree,
                        List<PlanPrice> prices, long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, int seatsIncluded,
                        List<String> features, Overage overage, PlanStatus status, Instant publishedAt, BillingMode billingMode) {
        this(code, version, name, description, rank, selfServe, defaultFree, prices, creditsPerPeriod, creditPeriod, dailyCredits,
                seatsIncluded, features, overage, status, publishedAt, billingMode, null);
    }

    /** A version billed in advance (the terms every plan had before billing modes existed). */
    public PlanSnapshot(String code, int version, String name, String description, int rank, boolean selfServe, boolean defaultFree,
                        List<PlanPrice> prices, long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, int seatsIncluded,
                        List<String> features, Overage overage, PlanStatus status, Instant publishedAt) {
        this(code, version, name, description, rank, selfServe, defaultFree, prices, creditsPerPeriod, creditPeriod, dailyCredits,
                seatsIncluded, features, overage, status, publishedAt, BillingMode.IN_ADVANCE, null);
    }

    public enum PlanStatus { DRAFT, PUBLISHED, RETIRED }
}
