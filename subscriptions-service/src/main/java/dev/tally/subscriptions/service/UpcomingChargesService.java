package dev.tally.subscriptions.service;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.subscriptions.client.CreditsClient;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.domain.UpcomingCharges;
import dev.tally.subscriptions.repository.InvoiceRepository;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.rest.InvoicesResource;
import dev.tally.subscriptions.rest.UpcomingChargesResource.UpcomingChargesView;
import dev.tally.subscriptions.rest.UpcomingChargesResource.UpcomingLine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * What the account will be charged at its next billing date and why (subscriptions-domain's
 * UpcomingCharges: the period end run on a copy, the invoice in arrears as {@code /invoices/upcoming}
 * shows it, the usage the next close charges as credits-service's usage so far reports it). Read-only,
 * with the period end's own queries; credits-service is read with no transaction open, and when it
 * does not answer the usage is left out with the warning {@code usage_unknown}.
 */
@ApplicationScoped
public class UpcomingChargesService {
    private static final Logger LOG = Logger.getLogger(UpcomingChargesService.class);
    private final Pool pool;
    private final SubscriptionRepository subscriptions;
    private final InvoiceRepository invoices;
    private final PlanLookup plans;
    private final CreditsClient credits;

    public UpcomingChargesService(Pool pool, SubscriptionRepository subscriptions, InvoiceRepository invoices, PlanLookup plans,
                                  @RestClient CreditsClient credits) {
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.plans = plans;
        this.credits = credits;
    }

    public Uni<UpcomingChargesView> upcoming(String accountId) {
        return subscriptions.find(pool, accountId).flatMap(found -> {
            Subscription s = found.orElseThrow(() -> ProblemException.naming(404, "subscription_not_found",
                    "This account has no subscription yet: GET /accounts/{id}/subscription starts one on the free plan.", "accountId"));
            return Uni.combine().all().unis(plans.version(s.planCode(), s.planVersion()), next(s),
                            invoices.computed(pool, s.id(), s.period().end()), usage(s)).asTuple()
                    .map(t -> {
                        var computed = t.getItem3();
                        PlanTerms inForce = PlanTerms.from(t.getItem1());
                        var u = UpcomingCharges.of(s, inForce, PlanTerms.from(t.getItem2()), computed.map(InvoiceRepository.Stored::invoice)
                                .orElse(null), t.getItem4().usage());
                        InvoicesResource.Invoice invoice = computed.map(InvoicesResource::view).orElseGet(() -> s.upcomingInvoice(inForce)
                                .map(p -> InvoicesResource.view(null, "PROJECTED", p, null, null, null, null, null)).orElse(null));
                        List<UpcomingLine> lines = u.lines().stream().map(l -> new UpcomingLine(l.kind().name(), l.description(), l.period().start(),
                                l.period().end(), l.amount().minor(), l.chargedAt(), l.customerBalanceApplies())).toList();
                        return new UpcomingChargesView(accountId, u.billingDate(), u.next().name(), u.planCode(), u.planVersion(), u.interval(),
                                u.total().currency(), lines, u.total().minor(), s.balance().balance().minor(), u.customerBalanceApplied().minor(),
                                u.due().minor(), u.customerBalanceAfter().minor(), invoice,
                                t.getItem4().known() ? List.of() : List.of("usage_unknown"));
                    });
        });
    }

    private Uni<PlanSnapshot> next(Subscription s) {
        return switch (s.atPeriodEnd()) {
            case REVERTED_TO_FREE -> plans.defaultFree();
            case CHANGED -> plans.version(s.pendingChange().planCode(), s.pendingChange().planVersion());
            default -> plans.version(s.planCode(), s.planVersion());
        };
    }

    private record UsageRead(boolean known, UpcomingCharges.Usage usage) {
    }

    /** This period's usage close as credits-service reports it: made (its figures) or to come (what it will take). */
    private Uni<UsageRead> usage(Subscription s) {
        Instant end = s.period().end();
        return credits.usage(s.accountId()).ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(view -> {
                    var last = view.lastClose();
                    if (last != null && end.equals(last.periodEnd())) {
                        return new UsageRead(true, new UpcomingCharges.Usage(end, last.closedAt(), last.credits(), last.amountMinor(),
                                last.currency(), true));
                    }
                    var next = view.nextClose();
                    if (next != null && end.equals(next.periodEnd()) && next.currency() != null) {
                        return new UsageRead(true, new UpcomingCharges.Usage(end, next.at(), next.credits(), next.amountMinor(), next.currency(),
                                false));
                    }
                    return new UsageRead(true, null);
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("usage of %s not read for upcoming charges: %s", s.accountId(), e.toString());
                    return new UsageRead(false, null);
                });
    }
}
