package dev.tally.subscriptions.domain;

import java.util.List;
import java.util.Objects;

/**
 * One line of what a change or renewal bills, for the service to store as it is (corrections are new
 * lines, never edits). A credit for unused time is a negative line; the lines of one event sum to its due.
 */
public record ChargeLine(Kind kind, String description, BillingPeriod period, Money amount) {

    /**
     * Why the line exists, so stored lines can be grouped without parsing descriptions. In arrears:
     * ARREARS is the fee of one part of a period on one plan, ARREARS_CREDIT a part invoiced already
     * and then not used (a change after the usage close), OVERAGE the period's usage.
     */
    public enum Kind { UNUSED_TIME_CREDIT, REMAINING_TIME, NEW_PERIOD, RENEWAL, ARREARS, ARREARS_CREDIT, OVERAGE }

    public ChargeLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(amount, "amount");
    }

    /** The sum of the lines, or zero in {@code currency} when there are none. */
    public static Money total(List<ChargeLine> lines, String currency) {
        Money sum = Money.zero(currency);
        for (ChargeLine line : lines) {
            sum = sum.plus(line.amount());
        }
        return sum;
    }
}
