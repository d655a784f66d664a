package dev.tally.subscriptions.domain;

import static dev.tally.contracts.plans.BillingInterval.MONTH;

import dev.tally.contracts.plans.BillingMode;
import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** Kong-like plans billed in arrears ($10 and $30 a month) and the steps of the arrears tests. */
final class ArrearsPlans {
    static final PlanTerms KONG_PLUS = new PlanTerms("kong-plus", 1, 10, true, false, Map.of(MONTH, TestPlans.usd(1000)),
            1000, MONTH, 0, 1, List.of(), BillingMode.IN_ARREARS);
    static final PlanTerms KONG_PRO = new PlanTerms("kong-pro", 1, 20, true, false, Map.of(MONTH, TestPlans.usd(3000)),
            5000, MONTH, 0, 5, List.of(), BillingMode.IN_ARREARS);

    private ArrearsPlans() {
    }

    /** A request at {@code timing}, any timing allowed, with a payment method on file. */
    static ChangeRequest at(PlanTerms from, PlanTerms to, ChangeTiming timing) {
        var direction = ChangeDirections.between(from, MONTH, to, MONTH);
        return ChangeRequest.of(from, to, MONTH, timing, new ChangePolicy(direction, EnumSet.allOf(ChangeTiming.class), timing, false), true);
    }

    /** An account that signs up from the free plan to {@code plan} at {@code at}: a new monthly cycle anchored there. */
    static ChangeOutcome signUp(PlanTerms plan, Instant at) {
        var free = Subscription.start(java.util.UUID.randomUUID(), "acct-1", TestPlans.FREE, at);
        return free.change(at(TestPlans.FREE, plan, ChangeTiming.IMMEDIATE), at);
    }

    /** The usage close 3 days before the period's end. */
    static Subscription.ArrearsClose close(Subscription s, PlanTerms inForce) {
        return s.closeCharges(inForce, s.period().end()).orElseThrow();
    }

    static ChargeLine line(ChargeLine.Kind kind, String from, String to, long minor) {
        return new ChargeLine(kind, "", new BillingPeriod(Instant.parse(from), Instant.parse(to)), TestPlans.usd(minor));
    }

    /** The lines without their descriptions, to compare kind, period and amount. */
    static List<ChargeLine> plain(List<ChargeLine> lines) {
        return lines.stream().map(l -> new ChargeLine(l.kind(), "", l.period(), l.amount())).toList();
    }
}
