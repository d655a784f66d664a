package dev.tally.subscriptions.service;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PendingChangeView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a plan change means, shown before it is made: amounts in minor units of {@code currency},
 * when it takes effect, the period that follows, and warnings. A preview carries an id and an
 * expiry; confirming it after the subscription changed, or after it expired, is refused.
 */
public record ChangeQuote(UUID previewId, Instant expiresAt, String fromPlan, BillingInterval fromInterval,
                          String toPlan, int toVersion, BillingInterval toInterval, ChangeDirection direction,
                          ChangeTiming timing, List<ChangeTiming> allowedTimings, String currency,
                          long creditForUnusedMinor, long chargeMinor, long dueMinor, long customerBalanceUsedMinor,
                          long payNowMinor, long customerBalanceAfterMinor, Instant effectiveAt,
                          Instant newPeriodStart, Instant newPeriodEnd, long secondsLeft, long secondsInPeriod,
                          PendingChangeView replaces, List<String> warnings) {
}
