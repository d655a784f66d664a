package dev.tally.credits.domain;

import dev.tally.contracts.plans.Overage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Overage is billed at the plan's block price: credits x unit price / unit credits, half-even to the minor unit. */
public final class OveragePricing {
    private OveragePricing() {
    }

    public static long priceMinor(long credits, Overage terms) {
        if (terms.unitCredits() <= 0) {
            return 0;
        }
        return BigDecimal.valueOf(credits).multiply(BigDecimal.valueOf(terms.unitPriceMinor()))
                .divide(BigDecimal.valueOf(terms.unitCredits()), 0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
