package dev.tally.subscriptions.domain;

import java.util.Objects;

/**
 * Credit an account holds with us (from downgrades) is used up by its next charges before
 * anything is paid. {@code balance} is what we owe the account (never negative). A zero balance
 * takes the currency of whatever it settles, so a new account needs no currency.
 */
public record CustomerBalance(Money balance) {

    public CustomerBalance {
        Objects.requireNonNull(balance, "balance");
        if (balance.isNegative()) {
            throw new IllegalArgumentException("a customer balance is credit we owe and cannot be negative: " + balance);
        }
    }

    public static CustomerBalance empty(String currency) {
        return new CustomerBalance(Money.zero(currency));
    }

    /** What is paid now and what balance is left, after settling {@code due} (negative due adds to the balance). */
    public Settlement settle(Money due) {
        Money held = balance.isZero() ? Money.zero(due.currency()) : balance;
        if (!due.isPositive()) {
            return new Settlement(Money.zero(due.currency()), Money.zero(due.currency()), new CustomerBalance(held.minus(due)));
        }
        Money used = held.min(due);
        return new Settlement(due.minus(used), used, new CustomerBalance(held.minus(used)));
    }

    /** The outcome of one charge against the balance: {@code paid + balanceUsed} is the positive part of the charge. */
    public record Settlement(Money paid, Money balanceUsed, CustomerBalance after) {
    }
}
