package dev.tally.credits.domain;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;

/**
 * The subscription's billing period and credit grant as its latest applied event set them;
 * {@code creditPeriod} is how often the credits are granted (null: once per billing period).
 */
public record SubscriptionPeriod(Instant periodStart, Instant periodEnd, long creditsPerPeriod, BillingInterval creditPeriod) {
}
