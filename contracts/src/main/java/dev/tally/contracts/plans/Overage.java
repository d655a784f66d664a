package dev.tally.contracts.plans;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a debit beyond the balance does. BLOCK refuses it; BILL lets it through and bills
 * {@code unitPriceMinor} per {@code unitCredits} credits of overage at cycle end (a block price,
 * because a single credit is usually worth less than one minor unit).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Overage(Mode mode, long unitPriceMinor, long unitCredits, String currency) {
    public enum Mode { BLOCK, BILL }

    public static Overage block() {
        return new Overage(Mode.BLOCK, 0, 1, null);
    }
}
