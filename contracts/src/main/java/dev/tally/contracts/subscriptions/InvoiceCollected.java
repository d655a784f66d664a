package dev.tally.contracts.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An invoice billed in arrears was collected on its billing date, once: its lines and total,
 * {@code customerBalanceUsedMinor} taken from the customer balance first, {@code paidMinor} through
 * the payment gateway with its {@code paymentRef} (null when nothing was paid or it did not settle).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceCollected(UUID invoiceId, UUID subscriptionId, String accountId, Instant periodStart, Instant periodEnd,
                               List<InvoiceLine> lines, long totalMinor, long customerBalanceUsedMinor, long paidMinor,
                               String currency, String paymentRef, Instant collectedAt) {
}
