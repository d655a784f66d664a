package dev.tally.subscriptions.domain;

import static dev.tally.subscriptions.domain.RuleCode.ADMIN_ONLY;
import static dev.tally.subscriptions.domain.RuleCode.CONTACT_SALES_REQUIRED;
import static dev.tally.subscriptions.domain.RuleCode.CURRENCY_MISMATCH;
import static dev.tally.subscriptions.domain.RuleCode.INTERVAL_NOT_OFFERED;
import static dev.tally.subscriptions.domain.RuleCode.SAME_PLAN;
import static dev.tally.subscriptions.domain.RuleCode.SUBSCRIPTION_NOT_ACTIVE;
import static dev.tally.subscriptions.domain.RuleCode.TIMING_NOT_ALLOWED;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.SubscriptionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;

/** The checks of docs/rules.md "Changing plan", in a fixed order so the same request always fails the same way. */
final class ChangeRules {
    private ChangeRules() {
    }

    static ChangeQuote quote(Subscription s, ChangeRequest r, Instant now) {
        PlanTerms from = r.from();
        PlanTerms to = r.to();
        if (!from.is(s.planCode(), s.planVersion())) {
            throw new IllegalArgumentException("the request's current plan " + from.code() + " v" + from.version()
                    + " is not the subscription's " + s.planCode() + " v" + s.planVersion());
        }
        if (s.status() == SubscriptionState.Status.CANCELED) {
            throw violation(SUBSCRIPTION_NOT_ACTIVE, "The subscription is cancelled; start a new one to change plan.");
        }
        if (to.code().equals(s.planCode()) && r.toInterval() == s.interval()) {
            throw violation(SAME_PLAN, "Plan " + to.code() + " per " + s.interval() + " is already in force.");
        }
        if (!to.offers(r.toInterval())) {
            throw violation(INTERVAL_NOT_OFFERED, "Plan " + to.code() + " is not sold per " + r.toInterval() + "; it is sold per "
                    + to.prices().keySet() + ".");
        }
        if (!from.selfServe() && !r.asAdmin()) {
            throw violation(ADMIN_ONLY, "Leaving plan " + from.code() + " is done by an admin.");
        }
        if ((!to.selfServe() || r.policy().needsSales()) && !r.asAdmin()) {
            throw violation(CONTACT_SALES_REQUIRED, "Plan " + to.code() + " is sold by our sales team: send a sales inquiry.");
        }
        ChangeTiming timing = r.timing() != null ? r.timing() : r.policy().defaultTiming();
        // the policy is what an account may choose; support (an admin acting for it) may use any timing
        Set<ChangeTiming> allowed = r.asAdmin() ? EnumSet.allOf(ChangeTiming.class) : r.policy().allowedTimings();
        if (!allowed.contains(timing)) {
            throw violation(TIMING_NOT_ALLOWED, "timing " + timing + " is not allowed for this change; allowed: "
                    + r.policy().allowedTimings() + ". Support can make this change with timing " + timing + ".");
        }
        if (timing == ChangeTiming.IMMEDIATE_PRORATED && r.toInterval() != s.interval()) {
            throw violation(TIMING_NOT_ALLOWED, "timing IMMEDIATE_PRORATED keeps the billing date, so it cannot change the interval "
                    + "from " + s.interval() + " to " + r.toInterval() + "; use IMMEDIATE or END_OF_PERIOD.");
        }
        String currency = currency(s, from, to);
        Money oldPrice = from.price(s.interval(), currency);
        Money newPrice = to.price(r.toInterval(), currency);
        ProrationQuote proration = ProrationQuote.of(timing, oldPrice, newPrice, s.period(), now);
        if (from.inArrears() || to.inArrears()) {
            proration = proration.inArrears(from.inArrears(), to.inArrears()); // those sides go to the next invoice
        }
        var settlement = s.balance().settle(proration.due());

        Instant effectiveAt = timing == ChangeTiming.END_OF_PERIOD ? s.period().end() : now;
        BillingPeriod newPeriod = switch (timing) {
            case IMMEDIATE, END_OF_PERIOD -> PeriodCalendar.firstPeriod(effectiveAt, r.toInterval());
            case IMMEDIATE_PRORATED -> s.period();
        };
        var lines = Charges.forChange(timing, from, s.interval(), to, r.toInterval(), s.period(), newPeriod, now, proration);
        Accrual accrual = accrualAfter(s, from, to, timing, now, currency);
        boolean later = timing == ChangeTiming.END_OF_PERIOD;
        ArrearsInvoice next;
        if (later && to.inArrears() && !from.inArrears() && s.accrual().lines().isEmpty()) {
            // nothing owed in arrears before the change takes effect: the first invoice is of the target's first period
            next = Arrears.projected(accrual.since(newPeriod.start()), to, r.toInterval(), newPeriod, currency);
        } else if (from.inArrears() || to.inArrears() || !s.accrual().lines().isEmpty()) {
            next = nextInvoice(s, accrual, later ? from : to, later ? s.interval() : r.toInterval(), later ? s.period() : newPeriod,
                    currency);
        } else {
            next = null;
        }
        var warnings = warnings(s, r, timing, oldPrice, newPrice, proration);
        if (next != null) {
            warnings.add(QuoteWarning.billedInArrears(next));
        }
        return new ChangeQuote(from.code(), from.version(), s.interval(), to.code(), to.version(), r.toInterval(),
                r.policy().direction(), timing, allowed, effectiveAt, newPeriod, proration, settlement,
                lines, newPrice, oldPrice.isZero() && newPrice.isPositive(), s.pendingChange(), warnings, accrual, next,
                to.billingMode());
    }

    /**
     * A change that takes effect now closes the part of a plan billed in arrears (its fee from where
     * it was last invoiced to now, or a credit when it was invoiced past now) and starts the target's
     * part now, if the target bills in arrears. END_OF_PERIOD leaves it to the period end.
     */
    private static Accrual accrualAfter(Subscription s, PlanTerms from, PlanTerms to, ChangeTiming timing, Instant now, String currency) {
        Accrual accrual = s.accrual();
        if (timing == ChangeTiming.END_OF_PERIOD) {
            return accrual;
        }
        Instant at = now.isAfter(s.period().end()) ? s.period().end() : now;
        if (from.inArrears()) {
            Instant since = accrual.since() != null ? accrual.since() : s.period().start();
            accrual = accrual.plus(Arrears.part(from, s.interval(), s.period(), since, at, currency));
        }
        return accrual.since(to.inArrears() ? at : null);
    }

    /**
     * The next invoice after the change, if nothing else changes. When this period's invoice is
     * computed already (a change after the usage close), what the change adds goes to the following
     * period's invoice, with that period's part of the plan.
     */
    private static ArrearsInvoice nextInvoice(Subscription s, Accrual accrual, PlanTerms plan, BillingInterval interval,
                                              BillingPeriod period, String currency) {
        if (!accrual.invoiced(period.end())) {
            return Arrears.projected(accrual, plan, interval, period, currency);
        }
        Instant anchor = period.equals(s.period()) ? s.anchor() : period.start();
        var following = new BillingPeriod(period.end(), PeriodCalendar.nextBoundary(anchor, interval, period.end()));
        Accrual carried = accrual;
        if (plan.inArrears() && accrual.since() != null && accrual.since().isBefore(period.end())) {
            carried = accrual.plus(Arrears.part(plan, interval, period, accrual.since(), period.end(), currency)).since(period.end());
        }
        return Arrears.projected(carried, plan, interval, following, currency);
    }

    private static String currency(Subscription s, PlanTerms from, PlanTerms to) {
        String currency = to.currency().or(from::currency).orElse(s.balance().balance().currency());
        if (from.currency().isPresent() && !from.currency().get().equals(currency)) {
            throw violation(CURRENCY_MISMATCH, "Plan " + from.code() + " bills in " + from.currency().get() + " and plan "
                    + to.code() + " in " + currency + "; a change cannot mix currencies.");
        }
        if (!s.balance().balance().isZero() && !s.balance().balance().currency().equals(currency)) {
            throw violation(CURRENCY_MISMATCH, "The customer balance is in " + s.balance().balance().currency()
                    + " and plan " + to.code() + " bills in " + currency + ".");
        }
        return currency;
    }

    private static List<QuoteWarning> warnings(Subscription s, ChangeRequest r, ChangeTiming timing, Money oldPrice,
                                               Money newPrice, ProrationQuote proration) {
        List<QuoteWarning> warnings = new ArrayList<>();
        s.pending().ifPresent(p -> warnings.add(timing == ChangeTiming.END_OF_PERIOD
                ? QuoteWarning.replacesPending(p) : QuoteWarning.clearsPending(p)));
        if (s.cancelAtPeriodEnd()) {
            warnings.add(QuoteWarning.resumesCancelled());
        }
        if (oldPrice.isZero() && newPrice.isPositive() && !r.paymentMethodOnFile()) {
            warnings.add(QuoteWarning.paymentStep());
        }
        if (timing == ChangeTiming.END_OF_PERIOD) {
            warnings.add(QuoteWarning.creditsForfeited(r.from().rollover() != null));
        }
        if (proration.due().isNegative()) {
            warnings.add(QuoteWarning.creditedToBalance(proration.due().negate()));
        }
        ChangeDirection byRank = ChangeDirections.between(r.from(), s.interval(), r.to(), r.toInterval());
        if (byRank != r.policy().direction()) {
            warnings.add(QuoteWarning.directionDiffers(r.policy().direction(), byRank));
        }
        return warnings;
    }

    static SubscriptionRuleViolation violation(RuleCode code, String message) {
        return new SubscriptionRuleViolation(code, message);
    }
}
