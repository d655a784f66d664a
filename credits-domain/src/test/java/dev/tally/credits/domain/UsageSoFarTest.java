package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageSoFarTest {
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant END = Instant.parse("2026-04-01T00:00:00Z");
    static final SubscriptionPeriod PERIOD = new SubscriptionPeriod(START, END, 5000, BillingInterval.MONTH);
    static final Overage PRO = new Overage(Overage.Mode.BILL, 100, 1000, "USD"); // 1.00 USD per 1,000 credits
    static final Duration LEAD = Duration.ofDays(3);

    @Test
    void spentIsCountedPerBucketKindInSpendingOrderWithEveryKindPresent() {
        var usage = UsageSoFar.of(PERIOD, Overage.block(), false, Map.of(CreditBucketKind.TOPUP, 20L, CreditBucketKind.SUBSCRIPTION, 300L),
                List.of(), null, LEAD);
        assertEquals(List.of(CreditBucketKind.DAILY, CreditBucketKind.ROLLOVER, CreditBucketKind.SUBSCRIPTION, CreditBucketKind.PROMO,
                CreditBucketKind.TOPUP), List.copyOf(usage.spent().keySet()));
        assertEquals(0, usage.spent().get(CreditBucketKind.DAILY));
        assertEquals(320, usage.spentTotal());
        assertNull(usage.nextClose(), "a BLOCK plan billed in advance has no usage close");
    }

    @Test
    void beforeTheCloseItTakesTheOpenOverageAtTheCutOffThreeDaysBeforeTheBillingDate() {
        var open = List.of(new OverageClose.OpenUsage(1, 1500, START.plus(Duration.ofDays(2))),
                new OverageClose.OpenUsage(2, 250, START.plus(Duration.ofDays(5))));
        var usage = UsageSoFar.of(PERIOD, PRO, true, Map.of(), open, null, LEAD);
        assertEquals(1750, usage.overageCredits());
        assertEquals(175, usage.overageAmountMinor(), "175.0 minor");
        assertEquals(END.minus(LEAD), usage.nextClose().at());
        assertEquals(END, usage.nextClose().periodEnd());
        assertEquals(1750, usage.nextClose().credits());
        assertEquals(175, usage.nextClose().amountMinor());
        assertNull(usage.lastClose());
    }

    @Test
    void usageRecordedFromTheCutOffOnIsNotTakenByThisClose() {
        Instant cutoff = END.minus(LEAD);
        var open = List.of(new OverageClose.OpenUsage(1, 1500, cutoff.minusSeconds(1)), new OverageClose.OpenUsage(2, 200, cutoff));
        var usage = UsageSoFar.of(PERIOD, PRO, true, Map.of(), open, null, LEAD);
        assertEquals(1500, usage.nextClose().credits());
        assertEquals(150, usage.nextClose().amountMinor());
        assertEquals(1700, usage.overageCredits(), "both are accrued and not closed yet");
    }

    @Test
    void afterTheCloseWhatStaysOpenGoesToTheNextPeriodsClose() {
        var made = new UsageSoFar.MadeClose(END, 1500, 150, "USD", END.minus(LEAD));
        var open = List.of(new OverageClose.OpenUsage(2, 200, END.minus(Duration.ofDays(2))));
        var usage = UsageSoFar.of(PERIOD, PRO, true, Map.of(), open, made, LEAD);
        assertEquals(made, usage.lastClose());
        assertNull(usage.nextClose().at(), "the next period's cut-off is known when it starts");
        assertEquals(200, usage.nextClose().credits());
        assertEquals(20, usage.nextClose().amountMinor());
    }

    @Test
    void aPeriodShorterThanTheLeadClosesAtItsStart() {
        var shortPeriod = new SubscriptionPeriod(START, START.plus(Duration.ofDays(1)), 0, BillingInterval.MONTH);
        assertEquals(START, UsageSoFar.closeAt(shortPeriod, LEAD));
    }
}
