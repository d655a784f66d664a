package dev.tally.credits.domain;

import dev.tally.contracts.billing.CreditPeriods;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionState;
import java.time.Instant;

/**
 * What a subscription's events and credit periods do to its SUBSCRIPTION credits (docs/rules.md,
 * Credits), on the account's ledger: a start grants the period's credits; a period end (renewal,
 * END_OF_PERIOD change, revert to free) forfeits what is left and grants the new period's
 * ({@link PlanChangeCredits#atPeriodEnd}); an immediate change keeps, grants and forfeits as
 * {@link PlanChangeCredits#onChange} says; a credit period ending inside the billing period (a yearly
 * plan granting monthly) forfeits the grants that ended with it and grants the next one. Grants end
 * with the credit period they are for. Every grant and forfeit is announced.
 */
public final class SubscriptionGrants {
    private SubscriptionGrants() {
    }

    public static void started(AccountLedger ledger, SubscriptionState s, String reference) {
        grantPeriod(ledger, s, s.credits().creditsPerPeriod(), "subscription started", reference, false);
    }

    /** A renewal, a revert to free, or an END_OF_PERIOD change taking effect. */
    public static void periodEnded(AccountLedger ledger, SubscriptionState s, String reference) {
        var allocation = PlanChangeCredits.atPeriodEnd(ledger.subscriptionCredits(), s.credits().creditsPerPeriod());
        ledger.forfeitSubscription(b -> true, allocation.forfeited(), "period ended", reference);
        grantPeriod(ledger, s, allocation.granted(), "credits for the period from " + s.periodStart(), reference, false);
    }

    public static void planChanged(AccountLedger ledger, SubscriptionState s, PlanChange change, String reference) {
        if (change.timing() == ChangeTiming.END_OF_PERIOD) {
            periodEnded(ledger, s, reference);
            return;
        }
        var allocation = PlanChangeCredits.onChange(change.timing(), ledger.subscriptionCredits(), change.fromCredits().creditsPerPeriod(),
                s.credits().creditsPerPeriod(), change.secondsLeft(), change.secondsInPeriod());
        String reason = "plan changed to " + s.planCode();
        ledger.forfeitSubscription(b -> true, allocation.forfeited(), reason, reference);
        grantPeriod(ledger, s, allocation.granted(), reason, reference, change.timing() == ChangeTiming.IMMEDIATE_PRORATED);
    }

    /**
     * A credit period ended inside {@code period}, the billing period in force: what is left of the
     * grants that ended with it is forfeited and the next credit period's grant is made. On a plan
     * with a rollover the grants that ended are expired first, so what is left rolls over up to the
     * cap as at a period end ({@link CreditRollover}); only what is still left after that is forfeited.
     */
    public static void creditPeriodEnded(AccountLedger ledger, SubscriptionPeriod period, Instant creditPeriodEnd, String reference) {
        if (ledger.terms().rollover() != null) {
            ledger.expireDue();
        }
        String forfeitReason = "credit period ended " + creditPeriodEnd;
        ledger.forfeitSubscription(b -> b.expiresAt() != null && !b.expiresAt().isAfter(creditPeriodEnd), Long.MAX_VALUE,
                forfeitReason, reference);
        Instant expires = CreditPeriods.endOfCreditPeriod(period.periodStart(), period.periodEnd(), period.creditPeriod(), creditPeriodEnd);
        ledger.grant(CreditBucketKind.SUBSCRIPTION, period.creditsPerPeriod(), expires, "credits for the month from " + creditPeriodEnd,
                reference, true);
    }

    /** Whether a credit-period.ended command names the period in force and a boundary inside it (else it is late: a no-op). */
    public static boolean creditPeriodApplies(SubscriptionPeriod inForce, Instant periodStart, Instant periodEnd, Instant creditPeriodEnd) {
        return inForce != null && inForce.periodStart().equals(periodStart) && inForce.periodEnd().equals(periodEnd)
                && creditPeriodEnd.isBefore(periodEnd);
    }

    /**
     * Grants SUBSCRIPTION credits that end with the credit period they are for: the one containing
     * the period start, or, for a prorated change mid-period, the one containing now.
     */
    private static void grantPeriod(AccountLedger ledger, SubscriptionState s, long credits, String reason, String reference,
                                    boolean midPeriod) {
        Instant now = ledger.now();
        Instant at = midPeriod && now.isAfter(s.periodStart()) && now.isBefore(s.periodEnd()) ? now : s.periodStart();
        Instant expires = s.credits().creditPeriod() == null ? s.periodEnd()
                : CreditPeriods.endOfCreditPeriod(s.periodStart(), s.periodEnd(), s.credits().creditPeriod(), at);
        ledger.grant(CreditBucketKind.SUBSCRIPTION, credits, expires, reason, reference, true);
    }

    public static SubscriptionPeriod periodOf(SubscriptionState s) {
        return new SubscriptionPeriod(s.periodStart(), s.periodEnd(), s.credits().creditsPerPeriod(), s.credits().creditPeriod());
    }
}
