package dev.tally.subscriptions.domain;

import static dev.tally.subscriptions.domain.ChangeRules.violation;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.SubscriptionState.Status;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One account's subscription as the rules see it (docs/rules.md 1): the plan version in force, its
 * period, at most one pending change, the cancel flag and the customer balance. Immutable: every
 * operation returns the next state with {@code revision + 1}, or throws {@link SubscriptionRuleViolation}.
 *
 * @param anchor        where the billing cycle counts from, so period ends keep its day
 * @param pendingChange the one END_OF_PERIOD change waiting, or null
 * @param accrual       what is owed in arrears and not invoiced yet ({@link Accrual#none()} on plans billed in advance)
 */
public record Subscription(UUID id, String accountId, String planCode, int planVersion, BillingInterval interval,
                           Status status, Instant anchor, BillingPeriod period, boolean cancelAtPeriodEnd,
                           PendingChange pendingChange, CustomerBalance balance, long revision, Accrual accrual) {

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(planCode, "planCode");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(balance, "balance");
        accrual = accrual == null ? Accrual.none() : accrual;
        if (cancelAtPeriodEnd && pendingChange != null) {
            throw new IllegalArgumentException("a subscription cannot both cancel and change at the period end");
        }
    }

    /** A subscription that owes nothing in arrears. */
    public Subscription(UUID id, String accountId, String planCode, int planVersion, BillingInterval interval, Status status,
                        Instant anchor, BillingPeriod period, boolean cancelAtPeriodEnd, PendingChange pendingChange,
                        CustomerBalance balance, long revision) {
        this(id, accountId, planCode, planVersion, interval, status, anchor, period, cancelAtPeriodEnd, pendingChange, balance,
                revision, Accrual.none());
    }

    /**
     * Every account starts on the default free plan, monthly, its cycle anchored now. The first
     * revision is 1, so consumers that remember "nothing applied yet" as 0 see it as newer.
     */
    public static Subscription start(UUID id, String accountId, PlanTerms freePlan, Instant now) {
        if (!freePlan.defaultFree()) {
            throw new IllegalArgumentException("plan " + freePlan.code() + " is not the default free plan");
        }
        BillingInterval interval = PeriodEnd.freeInterval(freePlan);
        return new Subscription(id, accountId, freePlan.code(), freePlan.version(), interval, Status.ACTIVE, now,
                PeriodCalendar.firstPeriod(now, interval), false, null,
                CustomerBalance.empty(freePlan.currency().orElse("USD")), 1);
    }

    public Optional<PendingChange> pending() {
        return Optional.ofNullable(pendingChange);
    }

    /** What a change would do, without doing it; a free-to-paid change without a payment method only warns here. */
    public ChangeQuote preview(ChangeRequest request, Instant now) {
        return ChangeRules.quote(this, request, now);
    }

    /**
     * Makes the change at the request's timing (or the policy's default). IMMEDIATE and
     * IMMEDIATE_PRORATED apply now and clear any pending change; END_OF_PERIOD becomes the pending
     * change, replacing the one before. Either revokes a cancellation at the period end.
     */
    public ChangeOutcome change(ChangeRequest request, Instant now) {
        ChangeQuote quote = ChangeRules.quote(this, request, now);
        if (quote.freeToPaid() && !request.paymentMethodOnFile()) {
            throw violation(RuleCode.PAYMENT_METHOD_REQUIRED, "Plan " + quote.toPlanCode()
                    + " is paid: add a payment method (the payment step) before changing to it.");
        }
        if (!quote.takesEffectNow()) {
            var pending = new PendingChange(UUID.randomUUID(), quote.toPlanCode(), quote.toPlanVersion(), quote.toInterval(),
                    quote.effectiveAt());
            return new ChangeOutcome(new Subscription(id, accountId, planCode, planVersion, interval, status, anchor, period,
                    false, pending, balance, revision + 1, accrual), quote);
        }
        Instant nextAnchor = quote.timing() == ChangeTiming.IMMEDIATE ? now : anchor; // a new cycle starts now
        return new ChangeOutcome(new Subscription(id, accountId, quote.toPlanCode(), quote.toPlanVersion(), quote.toInterval(),
                status, nextAnchor, quote.newPeriod(), false, null, quote.settlement().after(), revision + 1, quote.accrual()), quote);
    }

    /**
     * The usage close of the period ending at {@code periodEnd} (a lead time before the billing
     * date): its charges in arrears, computed once. Empty when the close is stale (another period),
     * was made already, or nothing is billed in arrears. The close moves no revision: nothing a
     * subscription event carries changes, only what is owed moves from the accrual to the invoice.
     */
    public Optional<ArrearsClose> closeCharges(PlanTerms inForce, Instant periodEnd) {
        if (!periodEnd.equals(period.end())) {
            return Optional.empty();
        }
        return Arrears.close(this, inForce).map(invoice -> new ArrearsClose(new Subscription(id, accountId, planCode, planVersion,
                interval, status, anchor, period, cancelAtPeriodEnd, pendingChange, balance, revision, Arrears.afterClose(this, inForce)),
                invoice));
    }

    /** What the next invoice in arrears holds if nothing changes (empty when nothing is billed in arrears). */
    public Optional<ArrearsInvoice> upcomingInvoice(PlanTerms inForce) {
        requireInForce(inForce);
        if (!inForce.inArrears() && accrual.lines().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Arrears.projected(accrual, inForce, interval, period, Arrears.currency(this, inForce)));
    }

    /** A usage close made: the subscription after it and the period's invoice. */
    public record ArrearsClose(Subscription subscription, ArrearsInvoice invoice) {
    }

    /** Drops the pending change; the plan in force simply renews. */
    public PendingChangeCancelled cancelPendingChange() {
        if (pendingChange == null) {
            throw violation(RuleCode.NO_PENDING_CHANGE, "There is no pending change to cancel.");
        }
        return new PendingChangeCancelled(with(false, null), pendingChange);
    }

    /** Paid features stay until the period end, then the account reverts to the free plan; no further charges. */
    public Subscription cancelAtPeriodEnd(PlanTerms inForce) {
        requireInForce(inForce);
        if (pendingChange != null) {
            throw violation(RuleCode.PENDING_CHANGE_BLOCKS_CANCEL, "A change to " + pendingChange.planCode() + " is pending for "
                    + pendingChange.effectiveAt() + ": cancel the pending change first, then cancel the subscription.");
        }
        if (cancelAtPeriodEnd) {
            throw violation(RuleCode.ALREADY_CANCELLED, "The subscription already ends at " + period.end() + ".");
        }
        if (inForce.defaultFree()) {
            throw violation(RuleCode.FREE_PLAN_NOT_CANCELLABLE, "Plan " + planCode + " is the free plan; there is nothing to cancel.");
        }
        return with(true, null);
    }

    /** Revokes a cancellation, which is only possible before the period it ends has ended. */
    public Subscription resume(Instant now) {
        if (!cancelAtPeriodEnd) {
            throw violation(RuleCode.NOTHING_TO_RESUME, "The subscription is not set to cancel; there is nothing to resume.");
        }
        if (!now.isBefore(period.end())) {
            throw violation(RuleCode.PERIOD_ALREADY_ENDED, "The period ended at " + period.end()
                    + "; the cancellation has taken effect, subscribe again instead.");
        }
        return with(false, null);
    }

    /** What the next period end will do, so the caller knows which plan terms to pass to {@link #endPeriod}. */
    public PeriodEndOutcome.Kind atPeriodEnd() {
        return cancelAtPeriodEnd ? PeriodEndOutcome.Kind.REVERTED_TO_FREE
                : pendingChange != null ? PeriodEndOutcome.Kind.CHANGED : PeriodEndOutcome.Kind.RENEWED;
    }

    /**
     * Applies the end of the period that ends at {@code periodEnd}: the cancellation, else the pending
     * change, else a renewal. A stale or repeated end is a no-op ({@code IGNORED}). {@code next} is the
     * plan for the new period: the default free plan, the pending change's version, or the one in force.
     */
    public PeriodEndOutcome endPeriod(Instant periodEnd, PlanTerms next) {
        return PeriodEnd.apply(this, periodEnd, null, next, null);
    }

    /**
     * As above, billing in arrears too: {@code inForce} is the plan version in force, {@code computed}
     * the period's invoice as computed at its usage close (with its usage), or null. The period end
     * collects it (computing it first if its close has not been made), then starts the next period.
     */
    public PeriodEndOutcome endPeriod(Instant periodEnd, PlanTerms inForce, PlanTerms next, ArrearsInvoice computed) {
        return PeriodEnd.apply(this, periodEnd, inForce, next, computed);
    }

    /** A payment failed: the plan stays in force while the account may still pay (the grace period). */
    public Subscription pastDue() {
        return withStatus(Status.PAST_DUE);
    }

    /** The overdue payment was made: the subscription is active again. */
    public Subscription paid() {
        return withStatus(Status.ACTIVE);
    }

    /**
     * Ends the paid plan now (the grace after a failed payment ran out, or the payment provider ended
     * it): the account is on the default free plan from {@code now}, its cycle anchored there, with
     * nothing pending. The customer balance is kept, and so are lines owed in arrears from earlier
     * parts (the free plan's period end invoices them); the part of the plan in force since it was
     * last invoiced is not billed (its payments failed).
     */
    public Subscription revertToFreeNow(PlanTerms free, Instant now) {
        if (!free.defaultFree()) {
            throw new IllegalArgumentException("plan " + free.code() + " is not the default free plan");
        }
        BillingInterval freeInterval = PeriodEnd.freeInterval(free);
        return new Subscription(id, accountId, free.code(), free.version(), freeInterval, Status.ACTIVE, now,
                PeriodCalendar.firstPeriod(now, freeInterval), false, null, balance, revision + 1, accrual.since(null));
    }

    /**
     * The same state running in {@code period}, anchored at its start: a period the payment provider
     * set (Stripe Checkout); a plan billed in arrears is billed from that start.
     */
    public Subscription runningIn(BillingPeriod period) {
        return new Subscription(id, accountId, planCode, planVersion, interval, status, period.start(), period, cancelAtPeriodEnd,
                pendingChange, balance, revision, accrual.restartedAt(period.start()));
    }

    /** A pending change cancelled: the state after, and the change that no longer happens. */
    public record PendingChangeCancelled(Subscription subscription, PendingChange cancelled) {
    }

    void requireInForce(PlanTerms plan) {
        if (!plan.is(planCode, planVersion)) {
            throw new IllegalArgumentException("plan " + plan.code() + " v" + plan.version() + " is not the one in force, "
                    + planCode + " v" + planVersion);
        }
    }

    private Subscription withStatus(Status next) {
        if (status == Status.CANCELED) {
            throw violation(RuleCode.SUBSCRIPTION_NOT_ACTIVE, "The subscription is cancelled.");
        }
        return new Subscription(id, accountId, planCode, planVersion, interval, next, anchor, period, cancelAtPeriodEnd,
                pendingChange, balance, revision + 1, accrual);
    }

    private Subscription with(boolean cancel, PendingChange pending) {
        return new Subscription(id, accountId, planCode, planVersion, interval, status, anchor, period, cancel, pending,
                balance, revision + 1, accrual);
    }
}
