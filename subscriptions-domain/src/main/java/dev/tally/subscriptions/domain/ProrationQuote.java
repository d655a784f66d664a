package dev.tally.subscriptions.domain;

import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Instant;

/**
 * The money of a plan change (docs/rules.md, Money of a change), by the second: f = seconds left in
 * the period / seconds in it. IMMEDIATE: credit = old × f, due = new − credit, a new period starts
 * now. IMMEDIATE_PRORATED: credit = old × f, charge = new × f, due = charge − credit, same period.
 * END_OF_PERIOD: nothing now. Each product rounds half-even to the minor unit; a negative due goes
 * to the customer balance.
 */
public record ProrationQuote(Money creditForUnused, Money charge, Money due, long secondsLeft, long secondsInPeriod) {

    public ProrationQuote {
        if (!due.equals(charge.minus(creditForUnused))) {
            throw new IllegalArgumentException("due must be charge - credit");
        }
    }

    public static ProrationQuote of(ChangeTiming timing, Money oldPrice, Money newPrice,
                                    Instant periodStart, Instant periodEnd, Instant now) {
        return of(timing, oldPrice, newPrice, new BillingPeriod(periodStart, periodEnd), now);
    }

    /** Prices must share a currency; {@code now} outside the period clamps f to 0 or 1. */
    public static ProrationQuote of(ChangeTiming timing, Money oldPrice, Money newPrice, BillingPeriod period, Instant now) {
        if (!oldPrice.currency().equals(newPrice.currency())) {
            throw new IllegalArgumentException("cannot prorate " + oldPrice.currency() + " against " + newPrice.currency());
        }
        long total = period.seconds();
        long left = period.secondsLeftAt(now);
        Money zero = Money.zero(newPrice.currency());
        return switch (timing) {
            case END_OF_PERIOD -> new ProrationQuote(zero, zero, zero, left, total);
            case IMMEDIATE -> {
                Money credit = oldPrice.times(left, total);
                yield new ProrationQuote(credit, newPrice, newPrice.minus(credit), left, total);
            }
            case IMMEDIATE_PRORATED -> {
                Money credit = oldPrice.times(left, total);
                Money charge = newPrice.times(left, total);
                yield new ProrationQuote(credit, charge, charge.minus(credit), left, total);
            }
        };
    }

    /**
     * The same quote with the sides billed in arrears left out: a plan in force billed in arrears
     * was not paid ahead, so there is no unused time to credit; a target billed in arrears charges
     * nothing now. Its parts go to the next invoice instead ({@link Accrual}).
     */
    public ProrationQuote inArrears(boolean fromInArrears, boolean toInArrears) {
        Money credit = fromInArrears ? Money.zero(creditForUnused.currency()) : creditForUnused;
        Money newCharge = toInArrears ? Money.zero(charge.currency()) : charge;
        return new ProrationQuote(credit, newCharge, newCharge.minus(credit), secondsLeft, secondsInPeriod);
    }

    /** The fraction f of the period still ahead, for display; the money never uses this double. */
    public double fractionLeft() {
        return (double) secondsLeft / secondsInPeriod;
    }
}
