package dev.tally.subscriptions.domain;

import static dev.tally.contracts.subscriptions.ChangeTiming.END_OF_PERIOD;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;
import static dev.tally.subscriptions.domain.ArrearsPlans.KONG_PLUS;
import static dev.tally.subscriptions.domain.ArrearsPlans.KONG_PRO;
import static dev.tally.subscriptions.domain.ArrearsPlans.at;
import static dev.tally.subscriptions.domain.ArrearsPlans.close;
import static dev.tally.subscriptions.domain.ArrearsPlans.line;
import static dev.tally.subscriptions.domain.ArrearsPlans.plain;
import static dev.tally.subscriptions.domain.ArrearsPlans.signUp;
import static dev.tally.subscriptions.domain.ChargeLine.Kind.ARREARS;
import static dev.tally.subscriptions.domain.ChargeLine.Kind.ARREARS_CREDIT;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_1;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_16;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.PRO;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.contracts.plans.BillingInterval;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes that touch a plan billed in arrears: what is due now, what the next invoice holds, changes past the close. */
class ArrearsChangesTest {

    @Test
    void aPreviewShowsNothingDueNowAndWhatTheNextInvoiceHolds() {
        var s = signUp(KONG_PRO, APRIL_1).subscription();
        var quote = s.preview(at(KONG_PRO, KONG_PLUS, IMMEDIATE_PRORATED), APRIL_16);
        assertEquals(usd(0), quote.dueNow());
        assertEquals(usd(0), quote.creditForUnused(), "nothing was paid ahead, so there is nothing to credit");
        assertEquals(MAY_1, quote.nextInvoice().period().end());
        assertEquals(usd(1500 + 500), quote.nextInvoice().total());
        assertTrue(quote.warnings().stream().anyMatch(w -> w.code().equals("billed_in_arrears")));
    }

    @Test
    void anEndOfPeriodChangeLeavesThePeriodToThePlanInForce() {
        var s = signUp(KONG_PRO, APRIL_1).subscription();
        var scheduled = s.change(at(KONG_PRO, KONG_PLUS, END_OF_PERIOD), APRIL_16);
        assertEquals(usd(3000), scheduled.quote().nextInvoice().total());
        var closed = close(scheduled.subscription(), KONG_PRO);
        var may = closed.subscription().endPeriod(MAY_1, KONG_PRO, KONG_PLUS, closed.invoice());
        assertEquals(usd(3000), may.collection().paid());
        assertEquals("kong-plus", may.subscription().planCode());
        assertTrue(may.charges().isEmpty());
        assertEquals(MAY_1, may.subscription().accrual().since());
    }

    @Test
    void anEndOfPeriodChangeIntoArrearsQuotesTheFirstInvoiceOfTheNewPlan() {
        var s = TestPlans.onApril(PRO, BillingInterval.MONTH);
        var scheduled = s.change(at(PRO, KONG_PLUS, END_OF_PERIOD), APRIL_16);
        assertEquals(usd(0), scheduled.quote().dueNow());
        assertEquals(Instant.parse("2026-06-01T00:00:00Z"), scheduled.quote().nextInvoice().period().end());
        assertEquals(usd(1000), scheduled.quote().nextInvoice().total());
        var may = scheduled.subscription().endPeriod(MAY_1, PRO, KONG_PLUS, null);
        assertNull(may.collected(), "Pro was paid ahead: nothing to collect for April");
        assertTrue(may.charges().isEmpty(), "and Kong Plus is not charged ahead for May");
        assertEquals(scheduled.quote().nextInvoice(), close(may.subscription(), KONG_PLUS).invoice());
    }

    @Test
    void aChangeAfterTheCloseCorrectsTheFollowingInvoice() {
        var closed = close(signUp(KONG_PRO, APRIL_1).subscription(), KONG_PRO);
        Instant april29 = Instant.parse("2026-04-29T00:00:00Z");
        var down = closed.subscription().change(at(KONG_PRO, KONG_PLUS, IMMEDIATE_PRORATED), april29);
        assertEquals(usd(0), down.quote().dueNow());
        // Pro was invoiced to May 1: its last 2 of 30 days come back (-200); Plus costs 1000 x 2/30 = 66.67 -> 67, then May's 1000
        assertEquals(Instant.parse("2026-06-01T00:00:00Z"), down.quote().nextInvoice().period().end());
        assertEquals(usd(-200 + 67 + 1000), down.quote().nextInvoice().total());

        var may = down.subscription().endPeriod(MAY_1, KONG_PLUS, KONG_PLUS, closed.invoice());
        assertEquals(usd(3000), may.collection().paid(), "the computed invoice is collected as it was computed");
        var june = close(may.subscription(), KONG_PLUS).invoice();
        assertEquals(List.of(line(ARREARS_CREDIT, "2026-04-29T00:00:00Z", "2026-05-01T00:00:00Z", -200),
                line(ARREARS, "2026-04-29T00:00:00Z", "2026-05-01T00:00:00Z", 67),
                line(ARREARS, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", 1000)), plain(june.lines()));
        assertEquals(down.quote().nextInvoice(), june);
    }

    @Test
    void fromAPlanPaidInAdvanceTheUnusedTimeGoesToTheBalanceAndPaysTheInvoice() {
        var s = TestPlans.onApril(PRO, BillingInterval.MONTH);
        var down = s.change(at(PRO, KONG_PLUS, IMMEDIATE_PRORATED), APRIL_16);
        assertEquals(usd(-1500), down.quote().dueNow(), "Pro's unused half comes back; Kong Plus charges nothing now");
        assertEquals(usd(1500), down.subscription().balance().balance());
        var closed = close(down.subscription(), KONG_PLUS);
        assertEquals(List.of(line(ARREARS, "2026-04-16T00:00:00Z", "2026-05-01T00:00:00Z", 500)), plain(closed.invoice().lines()));
        var may = closed.subscription().endPeriod(MAY_1, KONG_PLUS, KONG_PLUS, closed.invoice());
        assertEquals(usd(0), may.collection().paid());
        assertEquals(usd(500), may.collection().balanceUsed());
        assertEquals(usd(1000), may.subscription().balance().balance());
    }

    @Test
    void toAPlanPaidInAdvanceTheArrearsPartWaitsForTheNextInvoiceAndTheNewPlanIsChargedNow() {
        var s = signUp(KONG_PLUS, APRIL_1).subscription();
        var up = s.change(at(KONG_PLUS, PRO, IMMEDIATE_PRORATED), APRIL_16);
        assertEquals(usd(1500), up.quote().dueNow(), "Pro bills in advance: its rest of the period now");
        assertNull(up.subscription().accrual().since());
        assertEquals(List.of(line(ARREARS, "2026-04-01T00:00:00Z", "2026-04-16T00:00:00Z", 500)),
                plain(up.subscription().accrual().lines()));
        var may = up.subscription().endPeriod(MAY_1, PRO, PRO, null);
        assertEquals(usd(500), may.collected().total(), "the billing date invoices what was owed in arrears");
        assertEquals(usd(3000), may.charged(), "and renews Pro in advance");
    }
}
