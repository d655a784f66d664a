package dev.tally.subscriptions.domain;

import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE;
import static dev.tally.contracts.subscriptions.ChangeTiming.IMMEDIATE_PRORATED;
import static dev.tally.subscriptions.domain.ArrearsPlans.KONG_PLUS;
import static dev.tally.subscriptions.domain.ArrearsPlans.KONG_PRO;
import static dev.tally.subscriptions.domain.ArrearsPlans.at;
import static dev.tally.subscriptions.domain.ArrearsPlans.close;
import static dev.tally.subscriptions.domain.ArrearsPlans.line;
import static dev.tally.subscriptions.domain.ArrearsPlans.plain;
import static dev.tally.subscriptions.domain.ArrearsPlans.signUp;
import static dev.tally.subscriptions.domain.ChargeLine.Kind.ARREARS;
import static dev.tally.subscriptions.domain.TestPlans.APRIL_1;
import static dev.tally.subscriptions.domain.TestPlans.FREE;
import static dev.tally.subscriptions.domain.TestPlans.MAY_1;
import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/rules.md "Billing in arrears": what the usage close computes and the billing date collects, to the cent. */
class ArrearsInvoiceTest {
    @Test
    void signingUpChargesNothingAndAWholePeriodIsInvoicedAtTheCloseAndCollectedOnTheBillingDate() {
        var signUp = signUp(KONG_PRO, APRIL_1);
        assertTrue(signUp.quote().charges().isEmpty());
        assertEquals(usd(0), signUp.quote().paidNow());
        assertTrue(signUp.quote().freeToPaid(), "a payment method is still required");
        var s = signUp.subscription();
        assertEquals(new BillingPeriod(APRIL_1, MAY_1), s.period());

        var closed = close(s, KONG_PRO);
        assertEquals(List.of(line(ARREARS, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z", 3000)), plain(closed.invoice().lines()));
        assertEquals(s.revision(), closed.subscription().revision(), "the close moves no revision");
        assertTrue(closed.subscription().closeCharges(KONG_PRO, MAY_1).isEmpty(), "a second close computes nothing");

        var end = closed.subscription().endPeriod(MAY_1, KONG_PRO, KONG_PRO, closed.invoice());
        assertEquals(usd(3000), end.collected().total());
        assertEquals(usd(3000), end.collection().paid());
        assertFalse(end.computedNow());
        assertTrue(end.charges().isEmpty(), "the renewal of a plan billed in arrears charges nothing in advance");
        assertEquals(MAY_1, end.subscription().accrual().since());
        assertTrue(end.subscription().endPeriod(MAY_1, KONG_PRO, KONG_PRO, null).ignored(), "a repeated period end collects nothing");
    }

    @Test
    void aDowngradeImmediatelyProratedMidCycleGivesTwoProratedLines() {
        var s = signUp(KONG_PRO, APRIL_1).subscription();
        Instant at = Instant.parse("2026-04-11T06:00:07Z"); // 885,607 of April's 2,592,000 seconds gone
        var down = s.change(at(KONG_PRO, KONG_PLUS, IMMEDIATE_PRORATED), at);
        assertEquals(usd(0), down.quote().dueNow());
        assertTrue(down.quote().charges().isEmpty());
        assertEquals(new BillingPeriod(APRIL_1, MAY_1), down.subscription().period());

        var invoice = close(down.subscription(), KONG_PLUS).invoice();
        // 3000 x 885607 / 2592000 = 1025.008 -> 1025; 1000 x 1706393 / 2592000 = 658.331 -> 658
        assertEquals(List.of(line(ARREARS, "2026-04-01T00:00:00Z", "2026-04-11T06:00:07Z", 1025),
                line(ARREARS, "2026-04-11T06:00:07Z", "2026-05-01T00:00:00Z", 658)), plain(invoice.lines()));
        assertEquals(usd(1683), invoice.total());
        assertEquals(invoice, down.quote().nextInvoice(), "the change quoted what the next invoice holds");
    }

    @Test
    void anUpgradeInsideThePeriodBillsEachPartAtItsOwnPrice() {
        var s = signUp(KONG_PLUS, APRIL_1).subscription();
        var prorated = s.change(at(KONG_PLUS, KONG_PRO, IMMEDIATE_PRORATED), TestPlans.APRIL_16);
        assertEquals(usd(0), prorated.quote().paidNow());
        assertEquals(List.of(line(ARREARS, "2026-04-01T00:00:00Z", "2026-04-16T00:00:00Z", 500),
                line(ARREARS, "2026-04-16T00:00:00Z", "2026-05-01T00:00:00Z", 1500)), plain(close(prorated.subscription(), KONG_PRO).invoice().lines()));

        // IMMEDIATE starts a new cycle: the cut-short part of Plus goes on the new period's invoice
        var now = s.change(at(KONG_PLUS, KONG_PRO, IMMEDIATE), TestPlans.APRIL_16);
        assertEquals(usd(0), now.quote().paidNow());
        var after = now.subscription();
        assertEquals(Instant.parse("2026-05-16T00:00:00Z"), after.period().end());
        assertEquals(List.of(line(ARREARS, "2026-04-01T00:00:00Z", "2026-04-16T00:00:00Z", 500),
                line(ARREARS, "2026-04-16T00:00:00Z", "2026-05-16T00:00:00Z", 3000)), plain(close(after, KONG_PRO).invoice().lines()));
    }

    @Test
    void aCancelledSubscriptionIsBilledTheFinalPeriodOnItsEndDateThenRevertsToFree() {
        var s = signUp(KONG_PRO, APRIL_1).subscription().cancelAtPeriodEnd(KONG_PRO);
        var closed = close(s, KONG_PRO);
        assertEquals(usd(3000), closed.invoice().total(), "paid features stay to the period end, so the whole period is billed");
        var end = closed.subscription().endPeriod(MAY_1, KONG_PRO, FREE, closed.invoice());
        assertEquals(PeriodEndOutcome.Kind.REVERTED_TO_FREE, end.kind());
        assertEquals(usd(3000), end.collection().paid());
        assertEquals("free", end.subscription().planCode());
        assertEquals(null, end.subscription().accrual().since(), "nothing more is owed in arrears on the free plan");
        assertTrue(end.subscription().accrual().lines().isEmpty());
    }

    @Test
    void aPeriodEndWhoseCloseWasNotMadeComputesTheInvoiceItself() {
        var s = signUp(KONG_PRO, APRIL_1).subscription().cancelAtPeriodEnd(KONG_PRO);
        var end = s.endPeriod(MAY_1, KONG_PRO, FREE, null);
        assertTrue(end.computedNow());
        assertEquals(usd(3000), end.collected().total());
    }

    @Test
    void monthEndAnchorsProrateOverTheShortMonthAndKeepTheDay() {
        Instant jan31 = Instant.parse("2026-01-31T00:00:00Z");
        var s = signUp(KONG_PRO, jan31).subscription();
        assertEquals(Instant.parse("2026-02-28T00:00:00Z"), s.period().end());
        var down = s.change(at(KONG_PRO, KONG_PLUS, IMMEDIATE_PRORATED), Instant.parse("2026-02-14T00:00:00Z")).subscription();
        var closed = close(down, KONG_PLUS);
        assertEquals(List.of(line(ARREARS, "2026-01-31T00:00:00Z", "2026-02-14T00:00:00Z", 1500),
                line(ARREARS, "2026-02-14T00:00:00Z", "2026-02-28T00:00:00Z", 500)), plain(closed.invoice().lines()));
        var march = closed.subscription().endPeriod(s.period().end(), KONG_PLUS, KONG_PLUS, closed.invoice()).subscription();
        assertEquals(new BillingPeriod(Instant.parse("2026-02-28T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")), march.period());
        assertEquals(List.of(line(ARREARS, "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", 1000)),
                plain(close(march, KONG_PLUS).invoice().lines()), "a whole month is the whole price, whatever its length");
    }

    @Test
    void usageJoinsTheInvoiceAndIsCollectedWithIt() {
        var closed = close(signUp(KONG_PRO, APRIL_1).subscription(), KONG_PRO);
        var withUsage = closed.invoice().with(ArrearsInvoice.usage("overage: 1500 credits", new BillingPeriod(APRIL_1, MAY_1), usd(150)));
        var end = closed.subscription().endPeriod(MAY_1, KONG_PRO, KONG_PRO, withUsage);
        assertEquals(usd(3150), end.collection().paid());
    }
}
