package dev.tally.subscriptions.domain;

import dev.tally.contracts.subscriptions.ChangeTiming;
import java.time.Duration;
import java.time.Instant;

/**
 * The money of a plan change (DESIGN.md, Money of a change), by the second: f = seconds left in
 * the period / seconds in it. IMMEDIATE: credit = old × f, due = new − credit, a new period starts
 * now. IMMEDIATE_PRORATED: credit = old × f, charge = new × f, due = charge − credit, same period.
 * END_OF_PERIOD: nothing now. Each product rounds half-even to the minor unit; a negative due goes
 * to the customer balance.
 */
public record ProrationQuote(Money creditForUnused, Money charge, Money due, long secondsLeft, long secondsInPeriod) {

    public static ProrationQuote of(ChangeTiming timing, Money oldPrice, Money newPrice,
                                    Instant periodStart, Instant periodEnd, Instant now) {
        long total = Duration.between(periodStart, periodEnd).toSeconds();
        long left = Math.max(0, Math.min(total, Duration.between(now, periodEnd).toSeconds()));
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
}
