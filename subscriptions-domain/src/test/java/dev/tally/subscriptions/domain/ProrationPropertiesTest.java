package dev.tally.subscriptions.domain;

import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the money over many random cases from a fixed seed (repeatable; a failure names
 * its case): f stays in [0, 1], due is exactly charge − credit, the lines sum to the due, and a
 * settlement loses or creates no money.
 */
class ProrationPropertiesTest {
    private static final int CASES = 5_000;
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void fractionLeftStaysInZeroToOneAndDueIsExactlyChargeMinusCredit() {
        Random random = new Random(20260401);
        for (int i = 0; i < CASES; i++) {
            var period = PeriodCalendar.firstPeriod(EPOCH.plusSeconds(random.nextInt(200_000_000)),
                    random.nextBoolean() ? BillingInterval.MONTH : BillingInterval.YEAR);
            Instant now = period.start().plusSeconds(random.nextLong(-86_400, period.seconds() + 86_400));
            Money oldPrice = usd(random.nextLong(0, 10_000_000));
            Money newPrice = usd(random.nextLong(0, 10_000_000));
            for (ChangeTiming timing : ChangeTiming.values()) {
                var q = ProrationQuote.of(timing, oldPrice, newPrice, period, now);
                String at = "case " + i + " " + timing + " " + oldPrice + " -> " + newPrice + " at " + now + " in " + period;
                assertTrue(q.secondsLeft() >= 0 && q.secondsLeft() <= q.secondsInPeriod(), at);
                assertEquals(q.charge().minus(q.creditForUnused()), q.due(), at);
                assertTrue(q.creditForUnused().compareTo(oldPrice) <= 0 && !q.creditForUnused().isNegative(), at);
                if (timing == ChangeTiming.IMMEDIATE_PRORATED && oldPrice.equals(newPrice)) {
                    assertTrue(q.due().isZero(), at);
                }
            }
        }
    }

    @Test
    void theLinesOfAChangeSumToItsDueAndTheSettlementLosesNoMoney() {
        Random random = new Random(20280229);
        List<PlanTerms> plans = List.of(TestPlans.FREE, TestPlans.PLUS, TestPlans.PRO);
        for (int i = 0; i < CASES; i++) {
            PlanTerms from = plans.get(random.nextInt(plans.size()));
            PlanTerms to = plans.get(random.nextInt(plans.size()));
            var fromInterval = from == TestPlans.FREE ? BillingInterval.MONTH : BillingInterval.values()[random.nextInt(2)];
            var toInterval = BillingInterval.values()[random.nextInt(2)];
            if (from == to && fromInterval == toInterval) {
                continue;
            }
            var s = TestPlans.withBalance(TestPlans.onApril(from, fromInterval), random.nextLong(0, 50_000));
            Instant now = s.period().start().plusSeconds(random.nextLong(0, s.period().seconds()));
            var policy = TestPlans.policy(from, fromInterval, to, toInterval);
            var timing = policy.allowedTimings().stream().sorted().filter(t -> t != ChangeTiming.IMMEDIATE_PRORATED || fromInterval == toInterval)
                    .skip(random.nextInt(2)).findFirst().orElse(policy.defaultTiming());
            if (timing == ChangeTiming.IMMEDIATE_PRORATED && fromInterval != toInterval) {
                continue;
            }
            var q = s.preview(ChangeRequest.of(from, to, toInterval, timing, policy, true), now);
            String at = "case " + i + " " + from.code() + "/" + fromInterval + " -> " + to.code() + "/" + toInterval + " " + timing;
            assertEquals(q.dueNow(), ChargeLine.total(q.charges(), "USD"), at);
            Money before = s.balance().balance();
            Money positiveDue = q.dueNow().isPositive() ? q.dueNow() : usd(0);
            assertEquals(positiveDue, q.paidNow().plus(q.balanceApplied()), at);
            assertEquals(before.minus(q.balanceApplied()).plus(positiveDue.minus(q.dueNow())), q.balanceLeft(), at);
        }
    }
}
