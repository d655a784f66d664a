package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The charges of a period billed in arrears, computed at its usage close: every line so far and
 * their total, due on {@code periodEnd} (the billing date). Published when the plan fee is computed,
 * and again, with the same {@code invoiceId} and every line, when the period's usage joins it: keep
 * the latest per {@code invoiceId}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceComputed(UUID invoiceId, UUID subscriptionId, String accountId, Instant periodStart, Instant periodEnd,
                              List<InvoiceLine> lines, long totalMinor, String currency, Instant computedAt) {
}
