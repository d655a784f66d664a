package dev.tally.subscriptions.service;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PendingChangeView;
import dev.tally.subscriptions.domain.QuoteWarning;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a plan change means, shown before it is made (the response of a preview and of a change):
 * amounts in minor units of {@code currency}, when it takes effect, the period that follows, what
 * happens to subscription credits, and warnings. A preview carries an id, the instant it was quoted
 * at and an expiry; confirming it applies it as quoted at {@code quotedAt} (like Stripe's
 * {@code proration_date}), so the money, credits, period and effective instant are the previewed
 * ones; confirming it after the subscription changed, or after it expired, is refused. The rules that produce it
 * live in subscriptions-domain's {@code Subscription}; this is their answer as the API shows it.
 * {@code billingMode} is the target plan's; when a plan billed in arrears is involved, nothing is due
 * now for that side and {@code nextInvoice} says what the next invoice will hold (else it is null).
 */
public record ChangeQuoteView(UUID previewId, Instant quotedAt, Instant expiresAt, String fromPlan, BillingInterval fromInterval,
                              String toPlan, int toVersion, BillingInterval toInterval, ChangeDirection direction,
                              ChangeTiming timing, List<ChangeTiming> allowedTimings, String currency,
                              long creditForUnusedMinor, long chargeMinor, long dueMinor, long customerBalanceUsedMinor,
                              long payNowMinor, long customerBalanceAfterMinor, Instant effectiveAt,
                              Instant newPeriodStart, Instant newPeriodEnd, long secondsLeft, long secondsInPeriod,
                              PendingChangeView replaces, CreditsOutlook credits, List<QuoteWarning> warnings,
                              dev.tally.contracts.plans.BillingMode billingMode, NextInvoice nextInvoice) {

    /**
     * The next invoice in arrears if nothing else changes: computed at the usage close (a lead time
     * before {@code billingDate}) and collected on {@code billingDate}; its lines each with their period.
     */
    public record NextInvoice(Instant periodStart, Instant billingDate, long totalMinor, String currency,
                                  List<dev.tally.contracts.subscriptions.InvoiceLine> lines) {
    }

    /**
     * Subscription credits through the change, from the balance read when the quote was made (credits
     * spent before the change applies make the real figures smaller): {@code kept} carry over,
     * {@code granted} are added, {@code forfeited} are lost, {@code rolledOver} move into a ROLLOVER lot at the
     * period end (an END_OF_PERIOD change from a plan with a rollover: up to its cap; otherwise 0). Null when
     * credits-service could not be read.
     */
    public record CreditsOutlook(long subscriptionCreditsNow, long kept, long granted, long forfeited, long rolledOver) {
    }
}
