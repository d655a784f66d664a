package dev.tally.contracts.plans;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How much of a period's unused subscription credits a plan rolls into its next period (docs/rules.md,
 * Rollover): at most {@code maxCredits}, or at most {@code maxPercent} of the period's grant (exactly
 * one of the two is set). The rolled lot (bucket ROLLOVER) expires {@code expiresAfterDays} days after
 * the period it rolls into starts, or with that period when null. What exceeds the cap is forfeited.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Rollover(Long maxCredits, Integer maxPercent, Integer expiresAfterDays) {

    /** The most that rolls over from a period whose grant was {@code grant}. */
    public long cap(long grant) {
        if (maxCredits != null) {
            return Math.max(0, maxCredits);
        }
        return maxPercent == null ? 0 : Math.max(0, Math.multiplyExact(grant, (long) maxPercent) / 100);
    }
}
