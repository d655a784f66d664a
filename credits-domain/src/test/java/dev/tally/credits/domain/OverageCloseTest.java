package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.contracts.plans.Overage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverageCloseTest {
    static final Instant CLOSE = Instant.parse("2026-03-31T22:00:00Z");

    @Test
    void overageIsPricedHalfEvenToTheMinorUnit() {
        Overage perTen = new Overage(Overage.Mode.BILL, 25, 10, "EUR"); // 2.5 minor per credit
        assertEquals(2, OveragePricing.priceMinor(1, perTen), "2.5 rounds to the even 2");
        assertEquals(8, OveragePricing.priceMinor(3, perTen), "7.5 rounds to the even 8");
        assertEquals(250, OveragePricing.priceMinor(100, perTen));
        assertEquals(0, OveragePricing.priceMinor(100, new Overage(Overage.Mode.BILL, 25, 0, "EUR")));
    }

    @Test
    void usageBeforeTheCutoffIsClosedAndUsageFromItOnStaysOpen() {
        var open = List.of(new OverageClose.OpenUsage(1, 3, CLOSE.minusSeconds(1)), new OverageClose.OpenUsage(2, 4, CLOSE),
                new OverageClose.OpenUsage(3, 2, CLOSE.minusSeconds(3600)));
        var closing = OverageClose.close(open, CLOSE, new Overage(Overage.Mode.BILL, 25, 10, "EUR"));
        assertEquals(List.of(1L, 3L), closing.usageIds());
        assertEquals(5, closing.credits());
        assertEquals(12, closing.amountMinor(), "12.5 rounds to the even 12");
    }
}
