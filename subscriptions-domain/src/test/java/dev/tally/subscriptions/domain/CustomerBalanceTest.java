package dev.tally.subscriptions.domain;

import static dev.tally.subscriptions.domain.TestPlans.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A customer balance is used up by the next charges before anything is paid (docs/rules.md 1). */
class CustomerBalanceTest {

    @Test
    void aNegativeDueGoesToTheBalanceAndNothingIsPaid() {
        var settled = CustomerBalance.empty("USD").settle(usd(-1000));
        assertEquals(usd(0), settled.paid());
        assertEquals(usd(0), settled.balanceUsed());
        assertEquals(usd(1000), settled.after().balance());
    }

    @Test
    void theBalancePaysTheNextChargeFirstAndOnlyTheRestIsPaid() {
        var settled = new CustomerBalance(usd(1000)).settle(usd(1500));
        assertEquals(usd(1000), settled.balanceUsed());
        assertEquals(usd(500), settled.paid());
        assertEquals(usd(0), settled.after().balance());
    }

    @Test
    void aBalanceLargerThanTheChargeCoversItAndTheRestCarriesOver() {
        var first = new CustomerBalance(usd(2500)).settle(usd(1000));
        assertEquals(usd(0), first.paid());
        assertEquals(usd(1500), first.after().balance());
        var second = first.after().settle(usd(1000));
        assertEquals(usd(0), second.paid());
        assertEquals(usd(500), second.after().balance());
        var third = second.after().settle(usd(1000));
        assertEquals(usd(500), third.paid());
        assertEquals(usd(0), third.after().balance());
    }

    @Test
    void anEmptyBalanceTakesTheCurrencyOfWhatItSettles() {
        var settled = CustomerBalance.empty("USD").settle(new Money(700, "EUR"));
        assertEquals(new Money(700, "EUR"), settled.paid());
        assertEquals(new Money(0, "EUR"), settled.after().balance());
    }

    @Test
    void aBalanceIsNeverNegative() {
        assertThrows(IllegalArgumentException.class, () -> new CustomerBalance(usd(-1)));
    }
}
