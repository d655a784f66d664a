package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.client.PlansClient;
import dev.tally.subscriptions.domain.CustomerBalance;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.Periods;
import dev.tally.subscriptions.domain.ProrationQuote;
import dev.tally.subscriptions.repository.SubscriptionRepository.SubscriptionRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Works out what a requested change means (the same answer for a preview and for the change):
 * the target plan from the catalog read model, direction and allowed timings from plans-service's
 * policy, the money from the domain's proration rules.
 */
@ApplicationScoped
public class ChangeQuoter {
    static final Duration PREVIEW_TTL = Duration.ofMinutes(15);
    private final Catalog catalog;
    private final PlansClient plans;

    public ChangeQuoter(Catalog catalog, @RestClient PlansClient plans) {
        this.catalog = catalog;
        this.plans = plans;
    }

    public record ChangeRequest(String planCode, BillingInterval interval, ChangeTiming timing, UUID previewId) {
    }

    public Uni<ChangeQuote> quote(SubscriptionRow current, ChangeRequest request, boolean asAdmin, Instant now) {
        if (request.planCode() == null || request.planCode().isBlank()) {
            throw ProblemException.invalidField("planCode", "is required");
        }
        BillingInterval toInterval = request.interval() == null ? BillingInterval.MONTH : request.interval();
        if (request.planCode().equals(current.planCode()) && toInterval == current.interval()) {
            throw ProblemException.unprocessable("same_plan", "That is the plan and interval already in force.");
        }
        return catalog.latest(request.planCode()).flatMap(found -> {
            PlanSnapshot target = found.orElseThrow(() -> ProblemException.notFound("plan_not_found", "No plan " + request.planCode() + "."));
            if (target.status() == PlanSnapshot.PlanStatus.RETIRED) {
                throw ProblemException.unprocessable("plan_not_for_sale", "Plan " + target.code() + " is no longer sold.");
            }
            if (!target.prices().isEmpty() && price(target, toInterval) == null) {
                throw ProblemException.unprocessable("interval_not_offered", "Plan " + target.code() + " is not sold " + toInterval + "ly.");
            }
            return catalog.version(current.planCode(), current.planVersion()).flatMap(from -> plans.policy(current.planCode(),
                            current.interval().name(), target.code(), toInterval.name())
                    .onFailure().transform(e -> new ProblemException(502, "catalog_unavailable", "plans-service did not answer: " + e.getMessage()))
                    .map(policy -> build(current, from.orElseThrow(), target, toInterval, request.timing(), policy, asAdmin, now)));
        });
    }

    private ChangeQuote build(SubscriptionRow current, PlanSnapshot from, PlanSnapshot to, BillingInterval toInterval,
                              ChangeTiming requested, PlansClient.ChangePolicyView policy, boolean asAdmin, Instant now) {
        if ("CONTACT_SALES".equals(policy.access())) {
            throw new ProblemException(403, "contact_sales_required", "Plan " + to.code() + " is sold by our sales team: send a sales inquiry.");
        }
        if ("ADMIN_ONLY".equals(policy.access()) && !asAdmin) {
            throw new ProblemException(403, "admin_only", "Leaving plan " + from.code() + " is done by an admin.");
        }
        List<ChangeTiming> allowed = policy.allowedTimings().stream().map(ChangeTiming::valueOf).sorted().toList();
        ChangeTiming timing = requested != null ? requested : ChangeTiming.valueOf(policy.defaultTiming());
        if (!allowed.contains(timing)) {
            throw ProblemException.unprocessable("timing_not_allowed", timing + " is not allowed for this change; allowed: " + allowed + ".");
        }
        String currency = currency(to, from);
        Money oldPrice = money(price(from, current.interval()), currency);
        Money newPrice = money(price(to, toInterval), currency);
        var q = ProrationQuote.of(timing, oldPrice, newPrice, current.periodStart(), current.periodEnd(), now);
        var settled = new CustomerBalance(new Money(current.balanceMinor(), currency)).settle(q.due());
        Instant effective = timing == ChangeTiming.END_OF_PERIOD ? current.periodEnd() : now;
        Instant newStart = timing == ChangeTiming.IMMEDIATE_PRORATED ? current.periodStart() : effective;
        Instant newEnd = timing == ChangeTiming.IMMEDIATE_PRORATED ? current.periodEnd() : Periods.endOf(effective, toInterval, 1);
        List<String> warnings = new ArrayList<>();
        if (current.pending() != null) {
            warnings.add(timing == ChangeTiming.END_OF_PERIOD ? "replaces the pending change to " + current.pending().planCode()
                    : "clears the pending change to " + current.pending().planCode());
        }
        if (current.cancelAtPeriodEnd()) {
            warnings.add("the subscription is set to cancel at the period end; this change resumes it");
        }
        if (oldPrice.minor() == 0 && newPrice.minor() > 0) {
            warnings.add("moving from a free plan to a paid one takes a payment step");
        }
        if (timing == ChangeTiming.END_OF_PERIOD) {
            warnings.add("subscription credits left at the period end are forfeited");
        }
        return new ChangeQuote(UUID.randomUUID(), now.plus(PREVIEW_TTL), from.code(), current.interval(), to.code(), to.version(),
                toInterval, ChangeDirection.valueOf(policy.direction()), timing, allowed, currency,
                q.creditForUnused().minor(), q.charge().minor(), q.due().minor(), settled.balanceUsed().minor(), settled.paid().minor(),
                settled.after().balance().minor(), effective, newStart, newEnd, q.secondsLeft(), q.secondsInPeriod(),
                current.pending(), List.copyOf(warnings));
    }

    static PlanPrice price(PlanSnapshot plan, BillingInterval interval) {
        return plan.prices().stream().filter(p -> p.interval() == interval).findFirst().orElse(null);
    }

    private static Money money(PlanPrice price, String currency) {
        return new Money(price == null ? 0 : price.amountMinor(), currency);
    }

    private static String currency(PlanSnapshot to, PlanSnapshot from) {
        return to.prices().stream().findFirst().or(() -> from.prices().stream().findFirst()).map(PlanPrice::currency).orElse("USD");
    }
}
