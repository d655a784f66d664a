package dev.tally.subscriptions.repository;

import static dev.tally.subscriptions.repository.SubscriptionRepository.at;

import dev.tally.subscriptions.domain.ArrearsInvoice;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.ChargeLine;
import dev.tally.subscriptions.domain.CustomerBalance;
import dev.tally.subscriptions.domain.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Invoices billed in arrears, one per (subscription, period): computed at the usage close, collected
 * on the billing date. Their lines are charge lines tied to them, with the invoice's status. Queries only.
 */
@ApplicationScoped
public class InvoiceRepository {
    private static final String WITH_LINES = "SELECT i.id, i.account_id, i.subscription_id, i.period_start, i.period_end, i.currency, "
            + "i.status, i.computed_at, i.collected_at, i.balance_used_minor, i.paid_minor, i.payment_ref, c.kind, c.description, "
            + "c.period_start AS line_start, c.period_end AS line_end, c.amount_minor FROM invoice i "
            + "LEFT JOIN charge c ON c.invoice_id = i.id ";

    /** An invoice as stored: its lines and, once collected, how it was paid. */
    public record Stored(UUID id, String accountId, UUID subscriptionId, String status, ArrearsInvoice invoice, Instant computedAt,
                         Instant collectedAt, Long balanceUsedMinor, Long paidMinor, String paymentRef) {
    }

    /**
     * Stores a computed invoice and its lines (status COMPUTED); empty when this period's invoice
     * exists already (a repeated close: the unique key keeps it to one).
     */
    public Uni<Optional<UUID>> insert(SqlConnection tx, String accountId, UUID subscriptionId, ArrearsInvoice invoice, Instant now) {
        UUID id = UUID.randomUUID();
        return tx.preparedQuery("INSERT INTO invoice (id, account_id, subscription_id, period_start, period_end, currency, status, "
                        + "computed_at) VALUES ($1, $2, $3, $4, $5, $6, 'COMPUTED', $7) ON CONFLICT (subscription_id, period_end) DO NOTHING")
                .execute(Tuple.from(List.of(id, accountId, subscriptionId, at(invoice.period().start()), at(invoice.period().end()),
                        invoice.currency(), at(now))))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(Optional.<UUID>empty())
                        : addLines(tx, id, accountId, subscriptionId, invoice.lines(), now).replaceWith(Optional.of(id)));
    }

    /** Adds lines (the period's usage) to a computed invoice. */
    public Uni<Void> addLines(SqlConnection tx, UUID invoiceId, String accountId, UUID subscriptionId, List<ChargeLine> lines, Instant now) {
        if (lines.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO charge (account_id, subscription_id, kind, description, period_start, period_end, "
                        + "amount_minor, currency, created_at, invoice_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'COMPUTED')")
                .executeBatch(lines.stream().map(l -> Tuple.from(Arrays.asList(accountId, subscriptionId, l.kind().name(), l.description(),
                        at(l.period().start()), at(l.period().end()), l.amount().minor(), l.amount().currency(), at(now), invoiceId))).toList())
                .replaceWithVoid();
    }

    /** The computed (not yet collected) invoices of these subscriptions, by subscription and period end. */
    public Uni<Map<String, Stored>> computed(SqlClient db, List<UUID> subscriptionIds) {
        return db.preparedQuery(WITH_LINES + "WHERE i.status = 'COMPUTED' AND i.subscription_id = ANY($1) ORDER BY i.id, c.id")
                .execute(Tuple.of(subscriptionIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<String, Stored> out = new LinkedHashMap<>();
                    read(rows).forEach(s -> out.put(key(s.subscriptionId(), s.invoice().period().end()), s));
                    return out;
                });
    }

    public Uni<Optional<Stored>> computed(SqlClient db, UUID subscriptionId, Instant periodEnd) {
        return computed(db, List.of(subscriptionId)).map(found -> Optional.ofNullable(found.get(key(subscriptionId, periodEnd))));
    }

    public static String key(UUID subscriptionId, Instant periodEnd) {
        return subscriptionId + "@" + periodEnd.toEpochMilli();
    }

    /**
     * Marks a computed invoice collected (or UNPAID when the gateway did not settle it), with its
     * lines; false when it was collected already, so a repeat collects nothing.
     */
    public Uni<Boolean> collected(SqlConnection tx, UUID id, CustomerBalance.Settlement settlement, String paymentRef, boolean settled,
                                  Instant now) {
        String status = settled || !settlement.paid().isPositive() ? "COLLECTED" : "UNPAID";
        return tx.preparedQuery("UPDATE invoice SET status = $2, collected_at = $3, balance_used_minor = $4, paid_minor = $5, payment_ref = $6 "
                        + "WHERE id = $1 AND status = 'COMPUTED'")
                .execute(Tuple.from(Arrays.asList(id, status, at(now), settlement.balanceUsed().minor(), settlement.paid().minor(), paymentRef)))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery("UPDATE charge SET status = $2, payment_ref = $3 WHERE invoice_id = $1")
                                .execute(Tuple.of(id, status, paymentRef)).replaceWith(true));
    }

    /** An account's invoices in arrears, newest period first (at most {@code limit}). */
    public Uni<List<Stored>> list(SqlClient db, String accountId, int limit) {
        return db.preparedQuery(WITH_LINES + "WHERE i.id IN (SELECT id FROM invoice WHERE account_id = $1 ORDER BY period_end DESC LIMIT $2) "
                        + "ORDER BY i.period_end DESC, i.id, c.id")
                .execute(Tuple.of(accountId, limit)).map(InvoiceRepository::read);
    }

    private static List<Stored> read(Iterable<Row> rows) {
        Map<UUID, Stored> invoices = new LinkedHashMap<>();
        Map<UUID, List<ChargeLine>> lines = new LinkedHashMap<>();
        for (Row r : rows) {
            UUID id = r.getUUID("id");
            String currency = r.getString("currency");
            invoices.computeIfAbsent(id, x -> new Stored(id, r.getString("account_id"), r.getUUID("subscription_id"), r.getString("status"),
                    new ArrearsInvoice(new BillingPeriod(instant(r, "period_start"), instant(r, "period_end")), List.of(), currency),
                    instant(r, "computed_at"), instant(r, "collected_at"), r.getLong("balance_used_minor"), r.getLong("paid_minor"),
                    r.getString("payment_ref")));
            List<ChargeLine> mine = lines.computeIfAbsent(id, x -> new ArrayList<>());
            if (r.getString("kind") != null) {
                mine.add(new ChargeLine(ChargeLine.Kind.valueOf(r.getString("kind")), r.getString("description"),
                        new BillingPeriod(instant(r, "line_start"), instant(r, "line_end")), new Money(r.getLong("amount_minor"), currency)));
            }
        }
        List<Stored> out = new ArrayList<>();
        invoices.forEach((id, s) -> out.add(new Stored(s.id(), s.accountId(), s.subscriptionId(), s.status(),
                new ArrearsInvoice(s.invoice().period(), lines.get(id), s.invoice().currency()), s.computedAt(), s.collectedAt(),
                s.balanceUsedMinor(), s.paidMinor(), s.paymentRef())));
        return out;
    }

    private static Instant instant(Row r, String column) {
        var t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
