package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;

/**
 * Where a lot came from, read from its GRANT entry's reference (the identity every grant is made
 * once by): {@code topup:<purchaseId>} a top-up purchase, {@code promo:<grantId>} a promo grant,
 * {@code daily:<day>} the day's free credits, {@code credit-period:...} or a subscription event's id
 * a plan period, {@code rollover:...} credits rolled over, {@code reversal:<debitId>} a debit's
 * credits given back after their bucket expired. {@code id} is the purchase, grant, day, period,
 * event or debit it names.
 */
public record LotSource(Kind kind, String id) {

    public enum Kind { PLAN_PERIOD, DAILY, TOPUP_PURCHASE, PROMO, ROLLOVER, REVERSAL, OTHER }

    public static LotSource of(CreditBucketKind bucket, String reference) {
        String ref = reference == null ? "" : reference;
        int colon = ref.indexOf(':');
        String prefix = colon < 0 ? "" : ref.substring(0, colon);
        String rest = colon < 0 ? ref : ref.substring(colon + 1);
        return switch (prefix) {
            case "topup" -> new LotSource(Kind.TOPUP_PURCHASE, rest);
            case "promo" -> new LotSource(Kind.PROMO, rest);
            case "daily" -> new LotSource(Kind.DAILY, rest);
            case "credit-period" -> new LotSource(Kind.PLAN_PERIOD, ref);
            case "rollover" -> new LotSource(Kind.ROLLOVER, rest);
            case "reversal" -> new LotSource(Kind.REVERSAL, rest);
            default -> bucket == CreditBucketKind.SUBSCRIPTION ? new LotSource(Kind.PLAN_PERIOD, ref.isEmpty() ? null : ref)
                    : bucket == CreditBucketKind.DAILY ? new LotSource(Kind.DAILY, ref.isEmpty() ? null : ref)
                    : new LotSource(Kind.OTHER, ref.isEmpty() ? null : ref);
        };
    }
}
