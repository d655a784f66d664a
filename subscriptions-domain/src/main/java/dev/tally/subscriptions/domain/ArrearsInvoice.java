package dev.tally.subscriptions.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The charges of one period billed in arrears: the fee of each part of the period at the price then
 * in force, parts left from earlier periods (a change that started a new cycle), credits for parts
 * invoiced and then not used, and the usage. Computed at the usage close, collected on the billing
 * date ({@code period.end()}), each line with its own period.
 */
public record ArrearsInvoice(BillingPeriod period, List<ChargeLine> lines, String currency) {

    public ArrearsInvoice {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(currency, "currency");
        lines = List.copyOf(lines);
    }

    /** The sum of the lines; negative when credits outweigh the fees (it then goes to the customer balance). */
    public Money total() {
        return ChargeLine.total(lines, currency);
    }

    /** The invoice with one more line (the period's usage, once it is closed); a zero line adds nothing. */
    public ArrearsInvoice with(ChargeLine line) {
        if (line.amount().isZero()) {
            return this;
        }
        List<ChargeLine> more = new ArrayList<>(lines);
        more.add(line);
        return new ArrearsInvoice(period, more, currency);
    }

    /** The usage line of a period: {@code amount} for {@code description}. */
    public static ChargeLine usage(String description, BillingPeriod period, Money amount) {
        return new ChargeLine(ChargeLine.Kind.OVERAGE, description, period, amount);
    }
}
