package dev.tally.subscriptions.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.contracts.subscriptions.InvoiceCollected;
import dev.tally.contracts.subscriptions.InvoiceComputed;
import dev.tally.contracts.subscriptions.InvoiceLine;
import dev.tally.subscriptions.domain.ArrearsInvoice;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.PeriodEndOutcome;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.repository.InvoiceRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Billing in arrears: the usage close ({@code usage.close-due}) computes a period's charges through
 * the domain's {@link Subscription#closeCharges} and keeps them as an invoice, the period's usage
 * ({@code usage.closed}) joins it, and the period end collects it. Each step runs in the
 * transaction of the message that caused it (the inbox drops a repeat), with the subscription
 * locked; the invoice's unique key (subscription, period) and its COMPUTED-to-COLLECTED update make
 * computing and collecting happen once each, whatever is redelivered and whenever the service stops.
 */
@ApplicationScoped
public class ArrearsBilling {
    private final SubscriptionRepository subscriptions;
    private final InvoiceRepository invoices;
    private final PlanLookup plans;
    private final PaymentGateway payments;
    private final Outbox outbox;
    private final TallyClock clock;

    public ArrearsBilling(SubscriptionRepository subscriptions, InvoiceRepository invoices, PlanLookup plans, PaymentGateway payments,
                          Outbox outbox, TallyClock clock) {
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.plans = plans;
        this.payments = payments;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The usage close: the period's charges in arrears, computed once (a stale or repeated close computes nothing). */
    public Uni<Void> close(Tx tx, UsageCloseDue due) {
        return subscriptions.lock(tx.connection(), due.accountId()).flatMap(found -> found.isEmpty() || !found.get().id().equals(due.subscriptionId())
                ? Uni.createFrom().voidItem() : closeLocked(tx, found.get(), due.periodEnd()).replaceWithVoid());
    }

    /**
     * The period's usage joins its invoice in arrears (the invoice is computed first if the close has
     * not reached this service yet). False when the period is not billed in arrears: the caller bills
     * the usage at once, as for plans billed in advance.
     */
    public Uni<Boolean> addUsage(Tx tx, UsageClosed usage) {
        return subscriptions.lock(tx.connection(), usage.accountId()).flatMap(found -> invoices.computed(tx.connection(), usage.subscriptionId(), usage.periodEnd())
                .flatMap(stored -> {
                    if (stored.isPresent()) {
                        return Uni.createFrom().item(stored);
                    }
                    if (found.isEmpty() || !found.get().id().equals(usage.subscriptionId())) {
                        return Uni.createFrom().item(Optional.<InvoiceRepository.Stored>empty());
                    }
                    return closeLocked(tx, found.get(), usage.periodEnd()).flatMap(id -> id.isEmpty()
                            ? Uni.createFrom().item(Optional.<InvoiceRepository.Stored>empty())
                            : invoices.computed(tx.connection(), usage.subscriptionId(), usage.periodEnd()));
                })
                .flatMap(stored -> {
                    if (stored.isEmpty() || !stored.get().invoice().currency().equals(usage.currency())) {
                        return Uni.createFrom().item(false);
                    }
                    var s = stored.get();
                    if (usage.amountMinor() == 0) {
                        return Uni.createFrom().item(true); // no usage to bill: the invoice holds the plan fee only
                    }
                    var line = ArrearsInvoice.usage("overage: " + usage.overageCredits() + " credits",
                            new BillingPeriod(usage.periodStart(), usage.periodEnd()), new Money(usage.amountMinor(), usage.currency()));
                    var invoice = s.invoice().with(line);
                    Instant now = clock.instant();
                    return invoices.addLines(tx.connection(), s.id(), s.accountId(), s.subscriptionId(), List.of(line), now)
                            .call(x -> outbox.add(tx, OutgoingEvent.forAccount(Events.INVOICE_COMPUTED, s.accountId(),
                                    computed(s.id(), s.subscriptionId(), s.accountId(), invoice, now), now)))
                            .replaceWith(true);
                }));
    }

    /**
     * The period end's collection of {@code outcome.collected()}: stored first when the period end
     * computed it itself, then paid (the customer balance first, the gateway for the rest, its
     * idempotency key naming the subscription and period), marked collected and announced, once.
     */
    public Uni<Void> collect(Tx tx, Subscription before, PeriodEndOutcome outcome, UUID storedId) {
        ArrearsInvoice invoice = outcome.collected();
        Instant at = before.period().end();
        Uni<Optional<UUID>> id = storedId != null ? Uni.createFrom().item(Optional.of(storedId)) : invoices.insert(tx.connection(), before.accountId(),
                before.id(), invoice, at).call(stored -> stored.isEmpty() ? Uni.createFrom().voidItem()
                : outbox.add(tx, OutgoingEvent.forAccount(Events.INVOICE_COMPUTED, before.accountId(),
                        computed(stored.get(), before.id(), before.accountId(), invoice, at), at)));
        var settlement = outcome.collection();
        String key = "invoice:" + before.id() + ":" + invoice.period().end();
        String what = "charges in arrears for " + invoice.period();
        return id.flatMap(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                : payments.invoiceDue(tx, before.accountId(), settlement.paid().minor(), invoice.currency(), what, key)
                .flatMap(paid -> {
                    String ref = paid == null ? null : paid.reference();
                    boolean settled = paid == null || paid.settled();
                    return invoices.collected(tx.connection(), found.get(), settlement, ref, settled, at).flatMap(first -> !first
                            ? Uni.createFrom().voidItem()
                            : outbox.add(tx, OutgoingEvent.forAccount(Events.INVOICE_COLLECTED, before.accountId(), new InvoiceCollected(
                                    found.get(), before.id(), before.accountId(), invoice.period().start(), invoice.period().end(),
                                    lines(invoice), invoice.total().minor(), settlement.balanceUsed().minor(), settlement.paid().minor(),
                                    invoice.currency(), settled ? ref : null, at), at)));
                }));
    }

    /** With the subscription locked: computes and keeps the period's invoice if it is due; its id, or empty. */
    private Uni<Optional<UUID>> closeLocked(Tx tx, Subscription s, Instant periodEnd) {
        return plans.version(s.planCode(), s.planVersion()).flatMap(plan -> {
            var closed = s.closeCharges(PlanTerms.from(plan), periodEnd);
            if (closed.isEmpty()) {
                return Uni.createFrom().item(Optional.<UUID>empty());
            }
            Instant now = clock.instant();
            ArrearsInvoice invoice = closed.get().invoice();
            return invoices.insert(tx.connection(), s.accountId(), s.id(), invoice, now).call(id -> id.isEmpty() ? Uni.createFrom().voidItem()
                    : subscriptions.saveAccruals(tx.connection(), List.of(closed.get().subscription()))
                    .call(x -> outbox.add(tx, OutgoingEvent.forAccount(Events.INVOICE_COMPUTED, s.accountId(),
                            computed(id.get(), s.id(), s.accountId(), invoice, now), now))));
        });
    }

    private static InvoiceComputed computed(UUID id, UUID subscriptionId, String accountId, ArrearsInvoice invoice, Instant now) {
        return new InvoiceComputed(id, subscriptionId, accountId, invoice.period().start(), invoice.period().end(), lines(invoice),
                invoice.total().minor(), invoice.currency(), now);
    }

    static List<InvoiceLine> lines(ArrearsInvoice invoice) {
        return invoice.lines().stream().map(l -> new InvoiceLine(l.kind().name(), l.description(), l.period().start(), l.period().end(),
                l.amount().minor())).toList();
    }
}
