package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One line of an invoice billed in arrears: {@code kind} ARREARS (the plan fee of one part of a
 * period, prorated by the second), ARREARS_CREDIT (a part invoiced already and then not used, after
 * a change made past the usage close) or OVERAGE (the period's usage), for {@code [periodStart, periodEnd)}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceLine(String kind, String description, Instant periodStart, Instant periodEnd, long amountMinor) {
}
