package dev.tally.subscriptions.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a subscription owes in arrears and has not been invoiced for yet (docs/rules.md, Billing in
 * arrears). A change away from a plan billed in arrears closes its part of the period into a line;
 * the usage close puts every line, and the part of the plan in force up to the period's end, on the
 * period's invoice.
 *
 * @param lines       parts of plans no longer in force (and credits for parts invoiced but not used), for the next invoice
 * @param since       where the not yet invoiced part of the plan in force starts, when that plan bills in arrears
 *                    (else null); the period's end once the period's invoice is computed
 * @param invoicedFor the end of the last period whose invoice was computed (null: none yet)
 */
public record Accrual(List<ChargeLine> lines, Instant since, Instant invoicedFor) {

    public Accrual {
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    }

    /** Nothing owed in arrears: a subscription that has only been on plans billed in advance. */
    public static Accrual none() {
        return new Accrual(List.of(), null, null);
    }

    /** This accrual with {@code line} added (none when {@code line} is null: a part of no time or no fee). */
    Accrual plus(ChargeLine line) {
        if (line == null) {
            return this;
        }
        List<ChargeLine> more = new ArrayList<>(lines);
        more.add(line);
        return new Accrual(more, since, invoicedFor);
    }

    Accrual since(Instant start) {
        return new Accrual(lines, start, invoicedFor);
    }

    /** The accrual with the plan in force billed in arrears from {@code start} (a period the payment provider set), if it bills so. */
    public Accrual restartedAt(Instant start) {
        return since == null ? this : since(start);
    }

    /** Whether the invoice of the period ending at {@code periodEnd} was computed already. */
    public boolean invoiced(Instant periodEnd) {
        return periodEnd.equals(invoicedFor);
    }
}
