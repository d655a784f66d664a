package dev.tally.subscriptions.domain;

/**
 * Credit an account holds with us (from downgrades) is used up by its next charges before
 * anything is paid. {@code balance} is what we owe the account (never negative).
 */
public record CustomerBalance(Money balance) {

    /** What is paid now and what balance is left, after settling {@code due} (negative due adds to the balance). */
    public Settlement settle(Money due) {
        if (due.isNegative()) {
            return new Settlement(Money.zero(due.currency()), Money.zero(due.currency()), new CustomerBalance(balance.minus(due)));
        }
        long used = Math.min(balance.minor(), due.minor());
        Money usedMoney = new Money(used, due.currency());
        return new Settlement(due.minus(usedMoney), usedMoney, new CustomerBalance(balance.minus(usedMoney)));
    }

    public record Settlement(Money paid, Money balanceUsed, CustomerBalance after) {
    }
}
