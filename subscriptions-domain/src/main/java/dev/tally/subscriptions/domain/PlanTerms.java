package dev.tally.subscriptions.domain;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.plans.Rollover;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one published plan version sells, as the subscription rules need it. A plan with no prices
 * at all (Free, or Enterprise sold by contract) costs nothing here at any interval. {@code billingMode}
 * says when its fee is charged: when a period starts (in advance) or after it (in arrears). {@code rollover}:
 * how much unused subscription credit rolls into the next period (null: none).
 */
public record PlanTerms(String code, int version, int rank, boolean selfServe, boolean defaultFree,
                        Map<BillingInterval, Money> prices, long creditsPerPeriod, BillingInterval creditPeriod,
                        long dailyCredits, int seats, List<String> features, BillingMode billingMode, Rollover rollover) {

    public PlanTerms {
        Objects.requireNonNull(code, "code");
        billingMode = BillingMode.orDefault(billingMode);
        prices = Map.copyOf(prices);
        features = List.copyOf(features);
        if (prices.values().stream().map(Money::currency).distinct().count() > 1) {
            throw new IllegalArgumentException("plan " + code + " mixes currencies: " + prices);
        }
    }

    /** Terms without rollover. */
    public PlanTerms(String code, int version, int rank, boolean selfServe, boolean defaultFree, Map<BillingInterval, Money> prices,
                     long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, int seats, List<String> features,
                     BillingMode billingMode) {
        this(code, version, rank, selfServe, defaultFree, prices, creditsPerPeriod, creditPeriod, dailyCredits, seats, features,
                billingMode, null);
    }

    /** Terms of a plan billed in advance. */
    public PlanTerms(String code, int version, int rank, boolean selfServe, boolean defaultFree, Map<BillingInterval, Money> prices,
                     long creditsPerPeriod, BillingInterval creditPeriod, long dailyCredits, int seats, List<String> features) {
        this(code, version, rank, selfServe, defaultFree, prices, creditsPerPeriod, creditPeriod, dailyCredits, seats, features,
                BillingMode.IN_ADVANCE, null);
    }

    /** Whether the fee is charged after each part of a period (at the usage close and the billing date), not when it starts. */
    public boolean inArrears() {
        return billingMode == BillingMode.IN_ARREARS;
    }

    /** The terms of a catalog snapshot; the service reads plans from the catalog topic in this shape. */
    public static PlanTerms from(PlanSnapshot plan) {
        Map<BillingInterval, Money> prices = new EnumMap<>(BillingInterval.class);
        for (PlanPrice p : plan.prices()) {
            prices.put(p.interval(), new Money(p.amountMinor(), p.currency()));
        }
        return new PlanTerms(plan.code(), plan.version(), plan.rank(), plan.selfServe(), plan.defaultFree(), prices,
                plan.creditsPerPeriod(), plan.creditPeriod(), plan.dailyCredits(), plan.seatsIncluded(),
                plan.features() == null ? List.of() : plan.features(), plan.billingMode(), plan.rollover());
    }

    /** Whether the plan can be bought at {@code interval}; a plan without prices is offered at any. */
    public boolean offers(BillingInterval interval) {
        return prices.isEmpty() || prices.containsKey(interval);
    }

    /** The plan's currency, if it has prices. */
    public Optional<String> currency() {
        return prices.values().stream().map(Money::currency).findFirst();
    }

    /** The price for {@code interval}, zero in {@code fallbackCurrency} if the plan has no prices. */
    public Money price(BillingInterval interval, String fallbackCurrency) {
        if (!offers(interval)) {
            throw new IllegalArgumentException("plan " + code + " is not sold per " + interval);
        }
        return prices.getOrDefault(interval, Money.zero(currency().orElse(fallbackCurrency)));
    }

    /** Whether this is the version {@code code}/{@code version} names: the rules check the caller passed the right one. */
    public boolean is(String code, int version) {
        return this.code.equals(code) && this.version == version;
    }
}
