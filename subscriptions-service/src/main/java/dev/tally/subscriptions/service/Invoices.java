package dev.tally.subscriptions.service;

import dev.tally.subscriptions.domain.ArrearsInvoice;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.repository.InvoiceRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * An account's invoices in arrears, as stored, and the upcoming one: the computed invoice once the
 * usage close made it, before that what it will hold if nothing changes. Read with the reactive
 * client, as the usage close and the period end (set-based, native SQL) write them.
 */
@ApplicationScoped
public class Invoices {
    private final Pool pool;
    private final InvoiceRepository invoices;
    private final SubscriptionRepository subscriptions;
    private final PlanLookup plans;

    public Invoices(Pool pool, InvoiceRepository invoices, SubscriptionRepository subscriptions, PlanLookup plans) {
        this.pool = pool;
        this.invoices = invoices;
        this.subscriptions = subscriptions;
        this.plans = plans;
    }

    /** The upcoming invoice: {@code computed} when the close made it, else {@code projected}; both empty for a plan billed in advance. */
    public record Upcoming(Optional<InvoiceRepository.Stored> computed, Optional<ArrearsInvoice> projected) {
    }

    /** The newest {@code limit} invoices, newest first. */
    public Uni<List<InvoiceRepository.Stored>> list(String accountId, int limit) {
        return invoices.list(pool, accountId, limit);
    }

    public Uni<Upcoming> upcoming(String accountId) {
        return subscriptions.find(pool, accountId).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(new Upcoming(Optional.empty(), Optional.empty()));
            }
            var s = found.get();
            return invoices.computed(pool, s.id(), s.period().end()).flatMap(computed -> computed.isPresent()
                    ? Uni.createFrom().item(new Upcoming(computed, Optional.empty()))
                    : plans.version(s.planCode(), s.planVersion())
                            .map(plan -> new Upcoming(Optional.empty(), s.upcomingInvoice(PlanTerms.from(plan)))));
        });
    }
}
