package dev.tally.subscriptions.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** An amount in minor units of an ISO 4217 currency. Arithmetic never mixes currencies. */
public record Money(long minor, String currency) {

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(minor, same(other).minor), currency);
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(minor, same(other).minor), currency);
    }

    public Money negate() {
        return new Money(-minor, currency);
    }

    /** This amount times {@code numerator / denominator}, rounded half-even to the minor unit. */
    public Money times(long numerator, long denominator) {
        BigDecimal exact = BigDecimal.valueOf(minor).multiply(BigDecimal.valueOf(numerator))
                .divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_EVEN);
        return new Money(exact.longValueExact(), currency);
    }

    public boolean isNegative() {
        return minor < 0;
    }

    private Money same(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot mix " + currency + " and " + other.currency);
        }
        return other;
    }
}
