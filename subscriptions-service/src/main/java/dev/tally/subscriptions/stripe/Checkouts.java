package dev.tally.subscriptions.stripe;

import com.stripe.param.checkout.SessionCreateParams;
import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.subscriptions.stripe.StripeLinks.Checkout;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Tx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stripe Checkout sessions for the first payment: a credit pack (payment mode) or a paid plan for an
 * account on the free plan (subscription mode). Creating a session changes nothing in Tally; the
 * top-up or the plan change applies when Stripe confirms it ({@code checkout.session.completed}).
 * Stripe is called by {@link #open} with no transaction open; {@link #keep} then records the
 * session in the request's transaction.
 */
@ApplicationScoped
public class Checkouts {
    private final StripeApi stripe;
    private final StripeCustomers customers;
    private final StripeLinks links;
    private final Catalog catalog;
    private final TallyClock clock;

    public Checkouts(StripeApi stripe, StripeCustomers customers, StripeLinks links, Catalog catalog, TallyClock clock) {
        this.stripe = stripe;
        this.customers = customers;
        this.links = links;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** What to check out: a credit pack, or a plan and interval; where Stripe sends the buyer back. */
    public record CheckoutRequest(String packCode, String planCode, BillingInterval interval, String successUrl, String cancelUrl) {
    }

    /** Opens the session at Stripe (no transaction open); the Stripe key derives from the request's Idempotency-Key. */
    public Uni<Checkout> open(String accountId, CheckoutRequest r, String idempotencyKey) {
        boolean pack = r.packCode() != null && !r.packCode().isBlank();
        boolean plan = r.planCode() != null && !r.planCode().isBlank();
        if (pack == plan) {
            throw ProblemException.invalidField(pack ? "planCode" : "packCode", "give either packCode or planCode, not both and not neither");
        }
        String key = "checkout-" + accountId + "-" + (idempotencyKey != null ? idempotencyKey : java.util.UUID.randomUUID());
        return pack ? topup(accountId, r, key) : subscription(accountId, r, key);
    }

    /** Records an opened session, in the request's session transaction. */
    public Uni<Checkout> keep(Tx tx, Checkout c) {
        return links.saveCheckout(tx, c, clock.instant()).replaceWith(c);
    }

    private Uni<Checkout> topup(String accountId, CheckoutRequest r, String key) {
        return catalog.creditPack(r.packCode()).flatMap(found -> {
            var pack = found.filter(p -> p.status() == PlanSnapshot.PlanStatus.PUBLISHED)
                    .orElseThrow(() -> ProblemException.notFound("credit_pack_not_found", "No credit pack " + r.packCode() + " for sale."));
            String price = requirePrice(pack.stripePriceId(), "credit pack " + pack.code());
            return customers.ensure(accountId).flatMap(customer -> stripe.call(key, (client, options) ->
                    client.v1().checkout().sessions().create(SessionCreateParams.builder()
                            .setMode(SessionCreateParams.Mode.PAYMENT).setCustomer(customer).setClientReferenceId(accountId)
                            .setSuccessUrl(r.successUrl()).setCancelUrl(r.cancelUrl())
                            .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
                            .putMetadata("account_id", accountId).putMetadata("kind", "TOPUP").putMetadata("pack_code", pack.code())
                            .build(), options)))
                    .map(session -> (new Checkout(session.getId(), accountId, "TOPUP", pack.code(), null, session.getUrl(), "OPEN")));
        });
    }

    private Uni<Checkout> subscription(String accountId, CheckoutRequest r, String key) {
        BillingInterval interval = r.interval() == null ? BillingInterval.MONTH : r.interval();
        return links.subscription(accountId).flatMap(existing -> {
            if (existing.isPresent() && !"canceled".equals(existing.get().status())) {
                throw ProblemException.conflict("already_subscribed",
                        "The account pays through Stripe already: change plan with POST /accounts/" + accountId + "/subscription/changes.");
            }
            return catalog.latest(r.planCode());
        }).flatMap(found -> {
            PlanSnapshot plan = found.filter(p -> p.status() != PlanSnapshot.PlanStatus.RETIRED)
                    .orElseThrow(() -> ProblemException.notFound("plan_not_found", "No plan " + r.planCode() + " for sale."));
            if (!plan.selfServe()) {
                throw new ProblemException(403, "contact_sales_required", "Plan " + plan.code() + " is sold by our sales team: send a sales inquiry.");
            }
            if (plan.billingMode() == dev.tally.contracts.plans.BillingMode.IN_ARREARS) {
                // a subscription-mode Checkout charges its first period now, which a plan billed in arrears must not
                throw ProblemException.unprocessable("billing_mode_not_supported", "Plan " + plan.code() + " bills in arrears, which "
                        + "is not sold through Stripe yet (it would charge at sign-up); the local payment sandbox sells it.");
            }
            PlanPrice price = plan.prices().stream().filter(p -> p.interval() == interval).findFirst()
                    .orElseThrow(() -> ProblemException.unprocessable("interval_not_offered", "Plan " + plan.code() + " is not sold per " + interval + "."));
            String priceId = requirePrice(price.stripePriceId(), "plan " + plan.code() + " (" + interval + ")");
            return customers.ensure(accountId).flatMap(customer -> stripe.call(key, (client, options) ->
                    client.v1().checkout().sessions().create(SessionCreateParams.builder()
                            .setMode(SessionCreateParams.Mode.SUBSCRIPTION).setCustomer(customer).setClientReferenceId(accountId)
                            .setSuccessUrl(r.successUrl()).setCancelUrl(r.cancelUrl())
                            .addLineItem(SessionCreateParams.LineItem.builder().setPrice(priceId).setQuantity(1L).build())
                            .putMetadata("account_id", accountId).putMetadata("kind", "PLAN").putMetadata("plan_code", plan.code())
                            .putMetadata("interval", interval.name())
                            .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putMetadata("account_id", accountId).build())
                            .build(), options)))
                    .map(session -> (new Checkout(session.getId(), accountId, "PLAN", plan.code(), interval.name(),
                            session.getUrl(), "OPEN")));
        });
    }

    /** A catalog entry without a Stripe price id cannot be sold through Stripe: a clear error, not a crash. */
    static String requirePrice(String stripePriceId, String what) {
        if (stripePriceId == null || stripePriceId.isBlank()) {
            throw ProblemException.unprocessable("stripe_price_missing", what + " has no Stripe price id in the catalog; "
                    + "an admin must set stripePriceId before it can be bought through Stripe.");
        }
        return stripePriceId;
    }
}
