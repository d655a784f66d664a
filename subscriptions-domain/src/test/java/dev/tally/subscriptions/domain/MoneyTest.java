package dev.tally.subscriptions.domain;

import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Money is integer minor units; the only rounding is half-even at the minor unit. */
class MoneyTest {

    @Test
    void halfAMinorUnitRoundsToTheEvenNeighbour() {
        assertEquals(usd(0), usd(1).times(1, 2));   // 0.5 -> 0
        assertEquals(usd(2), usd(3).times(1, 2));   // 1.5 -> 2
        assertEquals(usd(2), usd(5).times(1, 2));   // 2.5 -> 2
        assertEquals(usd(4), usd(7).times(1, 2));   // 3.5 -> 4
        assertEquals(usd(-2), usd(-5).times(1, 2)); // -2.5 -> -2
    }

    @Test
    void moreThanHalfRoundsAwayAndLessThanHalfRoundsDown() {
        assertEquals(usd(667), usd(1000).times(2, 3)); // 666.67
        assertEquals(usd(333), usd(1000).times(1, 3)); // 333.33
    }

    @Test
    void plusMinusAndNegateKeepTheCurrency() {
        assertEquals(usd(1500), usd(1000).plus(usd(500)));
        assertEquals(usd(-500), usd(500).minus(usd(1000)));
        assertEquals(usd(-500), usd(500).negate());
    }

    @Test
    void moneyNeverMixesCurrencies() {
        var eur = new Money(1, "EUR");
        assertThrows(IllegalArgumentException.class, () -> usd(1).plus(eur));
        assertThrows(IllegalArgumentException.class, () -> usd(1).minus(eur));
        assertThrows(IllegalArgumentException.class, () -> usd(1).compareTo(eur));
    }

    @Test
    void aCurrencyMustBeAnIsoCode() {
        assertThrows(IllegalArgumentException.class, () -> new Money(1, "usd"));
        assertThrows(IllegalArgumentException.class, () -> new Money(1, "DOLLAR"));
        assertThrows(NullPointerException.class, () -> new Money(1, null));
    }

    @Test
    void aZeroDenominatorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> usd(1).times(1, 0));
    }

    @Test
    void overflowFailsLoudlyInsteadOfWrapping() {
        assertThrows(ArithmeticException.class, () -> usd(Long.MAX_VALUE).plus(usd(1)));
    }
}
