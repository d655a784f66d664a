package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.CallerContext;
import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.credits.domain.CreditRollover;
import dev.tally.credits.domain.PlanChangeCredits;
import dev.tally.subscriptions.catalog.ChangePolicies;
import dev.tally.subscriptions.client.CreditsClient;
import dev.tally.subscriptions.domain.ChangeDirections;
import dev.tally.subscriptions.domain.ChangePolicy;
import dev.tally.subscriptions.domain.ChangeRequest;
import dev.tally.subscriptions.domain.PendingChange;
import dev.tally.subscriptions.domain.PlanTerms;
import dev.tally.subscriptions.domain.QuoteWarning;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.service.ChangeQuoteView.CreditsOutlook;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Gathers what a plan change is decided on (the plan versions and the change policy, both from the
 * catalog read model) and asks the domain's {@link Subscription} for the answer; the same
 * gathering serves a preview and a change, so they cannot disagree. Previews also read the
 * account's subscription credits from credits-service to show what is kept, granted and forfeited.
 * {@link #quote} calls credits-service: it runs before any transaction opens, never while a
 * subscription row is locked; {@link #request} reads only this service's database.
 * {@link #followed} calls nothing: it serves changes the payment provider already made. The catalog's
 * shared reads are answered on the caller's Vert.x context ({@link CallerContext}): a preview goes on
 * to open a Hibernate session, which must be its own request's, not the one that read the catalog first.
 */
@ApplicationScoped
public class ChangeQuoter {
    static final Duration PREVIEW_TTL = Duration.ofMinutes(15);
    private static final Logger LOG = Logger.getLogger(ChangeQuoter.class);
    private final Catalog catalog;
    private final PlanLookup plans;
    private final ChangePolicies policies;
    private final CreditsClient credits;

    public ChangeQuoter(Catalog catalog, PlanLookup plans, ChangePolicies policies, @RestClient CreditsClient credits) {
        this.catalog = catalog;
        this.plans = plans;
        this.policies = policies;
        this.credits = credits;
    }

    /**
     * A change as the caller asked for it: a plan and interval with an optional timing, or a preview
     * to confirm; {@code support} when an admin makes it for the account (who, and why).
     */
    public record Ask(String planCode, BillingInterval interval, ChangeTiming timing, UUID previewId, Support support) {
        public Ask(String planCode, BillingInterval interval, ChangeTiming timing, UUID previewId) {
            this(planCode, interval, timing, previewId, null);
        }
    }

    /** Support acting for an account: the admin's subject and the reason they gave, recorded with the change. */
    public record Support(String admin, String reason) {
    }

    /** The domain's request for {@code ask} against {@code s}: plan versions and the catalog policy, looked up. */
    public Uni<ChangeRequest> request(Subscription s, Ask ask, boolean asAdmin, boolean paymentMethodOnFile) {
        if (ask.planCode() == null || ask.planCode().isBlank()) {
            throw ProblemException.invalidField("planCode", "is required");
        }
        return target(ask).flatMap(target -> {
            PlanTerms to = PlanTerms.from(target);
            BillingInterval toInterval = interval(s, ask, to);
            if (target.code().equals(s.planCode()) && toInterval == s.interval()) {
                // no policy covers staying put: the domain refuses it (same_plan) before it looks at one
                return plans.version(s.planCode(), s.planVersion()).map(current -> new ChangeRequest(PlanTerms.from(current), to,
                        toInterval, ask.timing(), ChangePolicy.fallback(ChangeDirection.LATERAL, false), asAdmin, paymentMethodOnFile));
            }
            return plans.version(s.planCode(), s.planVersion()).flatMap(current -> CallerContext.resume(catalog.latest(s.planCode()))
                    .flatMap(from -> CallerContext.resume(policies.policy(from.orElseThrow(() -> ProblemException.notFound("plan_not_found",
                            "No plan " + s.planCode() + ".")), s.interval(), target, toInterval)))
                    .map(policy -> {
                        if (policy.access() == dev.tally.plans.domain.ChangePolicy.Access.ADMIN_ONLY && !asAdmin) {
                            throw new ProblemException(403, "admin_only", "Leaving plan " + s.planCode() + " is done by an admin.");
                        }
                        return new ChangeRequest(PlanTerms.from(current), to, toInterval, ask.timing(), policy(policy), asAdmin,
                                paymentMethodOnFile);
                    }));
        });
    }

    /**
     * The domain's request for a change the payment provider already made (paid through Checkout,
     * or made in the Stripe portal): Tally follows it at the provider's timing, so no policy is asked
     * for (it says what a customer may choose; this was chosen and paid already), only the catalog read.
     */
    public Uni<ChangeRequest> followed(Subscription s, Ask ask, boolean asAdmin) {
        return target(ask).flatMap(target -> plans.version(s.planCode(), s.planVersion()).map(current -> {
            PlanTerms from = PlanTerms.from(current);
            PlanTerms to = PlanTerms.from(target);
            BillingInterval toInterval = interval(s, ask, to);
            var direction = ChangeDirections.between(from, s.interval(), to, toInterval);
            var policy = new ChangePolicy(direction, java.util.Set.of(ask.timing()), ask.timing(), false);
            return new ChangeRequest(from, to, toInterval, ask.timing(), policy, asAdmin, true);
        }));
    }

    private Uni<PlanSnapshot> target(Ask ask) {
        return CallerContext.resume(catalog.latest(ask.planCode())).map(found -> {
            PlanSnapshot target = found.orElseThrow(() -> ProblemException.notFound("plan_not_found", "No plan " + ask.planCode() + "."));
            if (target.status() == PlanSnapshot.PlanStatus.RETIRED) {
                throw ProblemException.unprocessable("plan_not_for_sale", "Plan " + target.code() + " is no longer sold.");
            }
            return target;
        });
    }

    private static BillingInterval interval(Subscription s, Ask ask, PlanTerms to) {
        return ask.interval() != null ? ask.interval() : to.offers(s.interval()) ? s.interval() : to.prices().keySet().iterator().next();
    }

    /** The API's answer for a change of {@code s} by {@code request} at {@code now}, with a fresh preview id. */
    public Uni<ChangeQuoteView> quote(Subscription s, ChangeRequest request, Instant now) {
        var quote = RuleProblems.decide(() -> s.preview(request, now));
        return CallerContext.resume(creditsOutlook(s, request, quote)).map(outlook -> { // a timeout answers on a timer thread
            List<QuoteWarning> extra = outlook != null ? List.of() : List.of(new QuoteWarning("credits_unknown",
                    "credits-service could not be read; the credits of this change are not shown"));
            return view(quote, outlook, extra, now);
        });
    }

    /** The API's shape of a domain quote, with a fresh preview id and expiry. */
    static ChangeQuoteView view(dev.tally.subscriptions.domain.ChangeQuote q, CreditsOutlook credits, List<QuoteWarning> extra,
                            Instant now) {
        List<QuoteWarning> warnings = new ArrayList<>(q.warnings());
        warnings.addAll(extra);
        return new ChangeQuoteView(UUID.randomUUID(), now, now.plus(PREVIEW_TTL), q.fromPlanCode(), q.fromInterval(), q.toPlanCode(),
                q.toPlanVersion(), q.toInterval(), q.direction(), q.timing(), q.allowedTimings().stream().sorted().toList(),
                q.renewalPrice().currency(), q.creditForUnused().minor(), q.charge().minor(), q.dueNow().minor(),
                q.balanceApplied().minor(), q.paidNow().minor(), q.balanceLeft().minor(), q.effectiveAt(),
                q.newPeriod().start(), q.newPeriod().end(), q.proration().secondsLeft(), q.proration().secondsInPeriod(),
                q.supersededPending().map(PendingChange::toView).orElse(null), credits, List.copyOf(warnings), q.toBillingMode(),
                q.next().map(n -> new ChangeQuoteView.NextInvoice(n.period().start(), n.period().end(), n.total().minor(), n.currency(),
                        ArrearsBilling.lines(n))).orElse(null));
    }

    /**
     * What the change does to the account's subscription credits, by {@link PlanChangeCredits} from
     * the quote's own seconds left (so a preview and the change it confirms agree to the credit);
     * null when credits-service cannot be read. Calls credits-service: never while a row is locked.
     */
    public Uni<CreditsOutlook> creditsOutlook(Subscription s, ChangeRequest r, dev.tally.subscriptions.domain.ChangeQuote q) {
        return credits.balance(s.accountId())
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(balance -> {
                    long now = balance.bucket("SUBSCRIPTION");
                    var a = PlanChangeCredits.onChange(q.timing(), now, r.from().creditsPerPeriod(), r.to().creditsPerPeriod(),
                            q.proration().secondsLeft(), q.proration().secondsInPeriod());
                    if (q.timing() == ChangeTiming.END_OF_PERIOD) { // at the period end the plan left rolls over its capped part
                        var split = CreditRollover.split(a.forfeited(), r.from().rollover(), r.from().creditsPerPeriod());
                        return new CreditsOutlook(now, a.kept(), a.granted(), split.forfeited(), split.rolledOver());
                    }
                    return new CreditsOutlook(now, a.kept(), a.granted(), a.forfeited(), 0);
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("credits of %s not read for a preview: %s", s.accountId(), e.toString());
                    return null;
                });
    }

    private static ChangePolicy policy(dev.tally.plans.domain.ChangePolicy catalog) {
        return new ChangePolicy(catalog.direction(), catalog.allowedTimings(), catalog.defaultTiming(),
                catalog.access() == dev.tally.plans.domain.ChangePolicy.Access.CONTACT_SALES);
    }
}
