package dev.tally.web;

import java.util.List;

/** What plans-service answers: the plans for sale, the credit packs, and the change policy between two plans. */
public final class Catalog {
    private Catalog() {
    }

    public record Price(String interval, long amountMinor, String currency, String stripePriceId) {
    }

    public record Plan(String code, int version, String name, String description, int rank, boolean selfServe,
                       boolean defaultFree, List<Price> prices, long creditsPerPeriod, String creditPeriod,
                       long dailyCredits, int seatsIncluded, List<String> features) {
    }

    public record CreditPack(String code, String name, long credits, long amountMinor, String currency, String status) {
    }

    /** direction UPGRADE or DOWNGRADE; access SELF_SERVE, CONTACT_SALES or ADMIN_ONLY. */
    public record ChangePolicy(String direction, List<String> allowedTimings, String defaultTiming, String access) {
    }
}
