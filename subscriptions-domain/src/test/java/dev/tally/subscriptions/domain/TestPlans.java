package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;
import static dev.tally.contracts.plans.BillingInterval.YEAR;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The demo catalog's shape (Free, Plus, Pro, Enterprise) and subscriptions on it, for the rule tests. */
final class TestPlans {
    static final PlanTerms FREE = new PlanTerms("free", 1, 0, true, true, Map.of(), 0, MONTH, 100, 1, List.of());
    static final PlanTerms PLUS = new PlanTerms("plus", 1, 10, true, false, Map.of(MONTH, usd(1000), YEAR, usd(10000)),
            1000, MONTH, 0, 1, List.of("pro-models"));
    static final PlanTerms PRO = new PlanTerms("pro", 1, 20, true, false, Map.of(MONTH, usd(3000), YEAR, usd(30000)),
            5000, MONTH, 0, 5, List.of("pro-models", "team-collaboration"));
    static final PlanTerms PRO_MONTHLY_ONLY = new PlanTerms("pro-lite", 1, 20, true, false, Map.of(MONTH, usd(2500)),
            4000, MONTH, 0, 1, List.of());
    static final PlanTerms ENTERPRISE = new PlanTerms("enterprise", 1, 100, false, false, Map.of(), 100000, MONTH, 0, 50,
            List.of("sso"));
    static final PlanTerms PLUS_EUR = new PlanTerms("plus-eu", 1, 10, true, false, Map.of(MONTH, new Money(900, "EUR")),
            1000, MONTH, 0, 1, List.of());

    /** April 2026 has 30 days, so half way through is the 16th at midnight. */
    static final Instant APRIL_1 = Instant.parse("2026-04-01T00:00:00Z");
    static final Instant APRIL_16 = Instant.parse("2026-04-16T00:00:00Z");
    static final Instant MAY_1 = Instant.parse("2026-05-01T00:00:00Z");

    private TestPlans() {
    }

    static Money usd(long minor) {
        return new Money(minor, "USD");
    }

    /** A subscription to {@code plan} whose current period is April 2026, anchored on April 1. */
    static Subscription onApril(PlanTerms plan, BillingInterval interval) {
        return new Subscription(UUID.randomUUID(), "acct-1", plan.code(), plan.version(), interval,
                dev.tally.contracts.subscriptions.SubscriptionState.Status.ACTIVE, APRIL_1,
                PeriodCalendar.firstPeriod(APRIL_1, interval), false, null, CustomerBalance.empty("USD"), 7);
    }

    static Subscription withBalance(Subscription s, long minor) {
        return new Subscription(s.id(), s.accountId(), s.planCode(), s.planVersion(), s.interval(), s.status(), s.anchor(),
                s.period(), s.cancelAtPeriodEnd(), s.pendingChange(), new CustomerBalance(usd(minor)), s.revision());
    }

    /** The catalog's default policy for the move, as plans-service would answer it. */
    static ChangePolicy policy(PlanTerms from, BillingInterval fromInterval, PlanTerms to, BillingInterval toInterval) {
        return ChangePolicy.fallback(ChangeDirections.between(from, fromInterval, to, toInterval), !to.selfServe());
    }

    static ChangePolicy allowing(ChangeDirection direction, ChangeTiming defaultTiming, ChangeTiming... allowed) {
        return new ChangePolicy(direction, Set.of(allowed), defaultTiming, false);
    }

    /** A self-serve request with a payment method on file, at the policy's default timing unless one is given. */
    static ChangeRequest request(PlanTerms from, BillingInterval fromInterval, PlanTerms to, BillingInterval toInterval,
                                 ChangeTiming timing) {
        return ChangeRequest.of(from, to, toInterval, timing, policy(from, fromInterval, to, toInterval), true);
    }
}
