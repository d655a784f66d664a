package dev.tally.subscriptions.stripe;

import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionUpdateParams;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.stripe.StripeLinks.StripeSubscription;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.Set;

/**
 * Money through Stripe. The first payment of a plan or a credit pack goes through Checkout (see
 * {@link Checkouts}); after that, Tally's plan changes are mirrored on the account's Stripe
 * subscription with the proration that matches the timing: IMMEDIATE a new billing cycle now
 * ({@code billing_cycle_anchor=now}, prorations invoiced at once), IMMEDIATE_PRORATED the same
 * anchor with prorations invoiced at once, END_OF_PERIOD the new price without proration, so the
 * renewal bills it once and nothing is billed twice. Renewals are Stripe's own; outcomes arrive as
 * webhooks ({@link StripeWebhooks}).
 *
 * <p>Stripe is called outside any transaction (no row lock, no pooled connection held while it
 * answers); the link's mirror of what Tally set is written by {@link #planChangeRecorded} and
 * {@link #cancellationRecorded} in the transaction that applies the change. Every call's idempotency
 * key names the subscription revision the change produces, so a retry replays Stripe's first answer
 * and two different changes decided on the same revision cannot both be made (Stripe refuses a
 * reused key with other parameters). A price change carries Tally's change in the Stripe
 * subscription's metadata ({@code tally_*}): if this service stops before applying it, Stripe's
 * {@code customer.subscription.updated} lets {@link StripeWebhooks} apply exactly that change.
 */
@ApplicationScoped
@Typed(StripePaymentGateway.class)
public class StripePaymentGateway implements PaymentGateway {
    private static final Set<String> BILLABLE = Set.of("active", "trialing", "past_due");
    private final StripeApi stripe;
    private final StripeLinks links;
    private final StripeCustomers customers;
    private final TallyClock clock;
    private final StripeOffSession offSession;
    private final StripeRefunds refunds;

    public StripePaymentGateway(StripeApi stripe, StripeLinks links, StripeCustomers customers, TallyClock clock, StripeOffSession offSession,
                                StripeRefunds refunds) {
        this.refunds = refunds;
        this.clock = clock;
        this.offSession = offSession;
        this.stripe = stripe;
        this.links = links;
        this.customers = customers;
    }

    /** One-off payments (credit packs) go through Checkout with Stripe: there is no card to charge here. */
    @Override
    public Uni<Settlement> charge(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return Uni.createFrom().failure(ProblemException.conflict("checkout_required",
                "Payments go through Stripe Checkout: POST /accounts/" + accountId + "/checkout-sessions."));
    }

    /** Auto top-ups: an off-session PaymentIntent on the customer's default payment method ({@link StripeOffSession}). */
    @Override
    public Uni<Settlement> chargeSaved(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return offSession.charge(accountId, amountMinor, currency, description, idempotencyKey);
    }

    /** Through Stripe's Refunds API ({@link StripeRefunds}). */
    @Override
    public Uni<Refund> refund(RefundOrder order) {
        return refunds.refund(order);
    }

    @Override
    public Uni<Boolean> hasPaymentMethod(String accountId) {
        return links.subscription(accountId).map(s -> s.isPresent() && BILLABLE.contains(s.get().status()));
    }

    @Override
    public Uni<Settlement> planChanged(PlanChangeOrder order) {
        return links.subscription(order.accountId()).flatMap(found -> {
            if (found.isEmpty()) {
                return order.payNowMinor() <= 0 && order.stripePriceId() == null ? Uni.createFrom().nullItem()
                        : Uni.createFrom().failure(new ProblemException(402, "payment_method_required",
                                "The account has no Stripe subscription yet: start it through POST /accounts/" + order.accountId() + "/checkout-sessions."));
            }
            StripeSubscription s = found.get();
            if (order.stripePriceId() == null) {
                return toFree(s, order);
            }
            if (order.stripePriceId().equals(s.priceId())) {
                return Uni.createFrom().item(new Settlement(s.subscriptionId(), true)); // Stripe bills this price already
            }
            var params = SubscriptionUpdateParams.builder()
                    .addItem(SubscriptionUpdateParams.Item.builder().setId(s.itemId()).setPrice(order.stripePriceId()).build())
                    .setCancelAtPeriodEnd(false)
                    .putMetadata("tally_plan", order.toPlan());
            if (order.intent() != null) {
                ChangeIntents.write(order.intent()).forEach(params::putMetadata);
            }
            switch (order.timing()) {
                case IMMEDIATE -> params.setBillingCycleAnchor(SubscriptionUpdateParams.BillingCycleAnchor.NOW)
                        .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE);
                case IMMEDIATE_PRORATED -> params.setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE);
                case END_OF_PERIOD -> params.setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.NONE);
            }
            return stripe.call("change-" + order.idempotencyKey(), (client, options) ->
                            client.v1().subscriptions().update(s.subscriptionId(), params.build(), options))
                    .map(updated -> new Settlement(updated.getId(), true));
        });
    }

    /** To a free plan: at the period end Stripe simply stops (cancel at period end); a change now cancels with proration. */
    private Uni<Settlement> toFree(StripeSubscription s, PlanChangeOrder order) {
        if (order.timing() == ChangeTiming.END_OF_PERIOD) {
            return cancelAtPeriodEnd(s, true, "change-" + order.idempotencyKey()).map(x -> new Settlement(s.subscriptionId(), true));
        }
        return stripe.call("change-" + order.idempotencyKey(), (client, options) -> client.v1().subscriptions().cancel(s.subscriptionId(),
                        SubscriptionCancelParams.builder().setProrate(true).setInvoiceNow(true).build(), options))
                .map(cancelled -> new Settlement(cancelled.getId(), true));
    }

    /** Stripe renews its subscription itself; the renewal's payment arrives as invoice.paid or invoice.payment_failed. */
    @Override
    public Uni<Settlement> periodStarted(Tx tx, String accountId, long amountMinor, String currency, String description,
                                         String idempotencyKey) {
        return links.subscription(tx, accountId).map(s -> s.map(found -> new Settlement(found.subscriptionId(), true)).orElse(null));
    }

    /**
     * Invoices billed in arrears are not collected through Stripe yet (that would need a Stripe
     * subscription started without a first payment and its invoice items at the usage close): the
     * invoice is left UNPAID, and nothing is called while the period end holds its locks.
     */
    @Override
    public Uni<Settlement> invoiceDue(Tx tx, String accountId, long amountMinor, String currency, String description,
                                      String idempotencyKey) {
        return amountMinor <= 0 ? Uni.createFrom().nullItem() : Uni.createFrom().item(new Settlement(null, false));
    }

    /** The link now shows the price (or the cancel at the period end) Tally set; the webhook confirms it later. */
    @Override
    public Uni<Void> planChangeRecorded(Tx tx, PlanChangeOrder order, Settlement settlement) {
        if (settlement == null) {
            return Uni.createFrom().voidItem();
        }
        return links.subscription(tx, order.accountId()).flatMap(found -> {
            if (found.isEmpty() || order.stripePriceId() == null && order.timing() != ChangeTiming.END_OF_PERIOD) {
                return Uni.createFrom().voidItem(); // nothing linked, or cancelled at Stripe now (its webhook says so)
            }
            StripeSubscription s = found.get();
            return order.stripePriceId() == null ? links.mirror(tx, s.subscriptionId(), s.priceId(), true, clock.instant())
                    : links.mirror(tx, s.subscriptionId(), order.stripePriceId(), false, clock.instant());
        });
    }

    @Override
    public Uni<Void> cancellationChanged(String accountId, boolean cancelAtPeriodEnd, String idempotencyKey) {
        return links.subscription(accountId).flatMap(found -> found.isEmpty() || found.get().cancelAtPeriodEnd() == cancelAtPeriodEnd
                ? Uni.createFrom().voidItem()
                : cancelAtPeriodEnd(found.get(), cancelAtPeriodEnd, "cancel-" + idempotencyKey).replaceWithVoid());
    }

    @Override
    public Uni<Void> cancellationRecorded(Tx tx, String accountId, boolean cancelAtPeriodEnd) {
        return links.subscription(tx, accountId).flatMap(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                : links.mirror(tx, found.get().subscriptionId(), found.get().priceId(), cancelAtPeriodEnd, clock.instant()));
    }

    private Uni<com.stripe.model.Subscription> cancelAtPeriodEnd(StripeSubscription s, boolean cancel, String key) {
        return stripe.call(key, (client, options) -> client.v1().subscriptions().update(s.subscriptionId(),
                SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(cancel).build(), options));
    }

    /** Overage goes on the subscription's next invoice as an invoice item, before Stripe finalizes it. */
    @Override
    public Uni<String> usageBilled(String accountId, long amountMinor, String currency, String description, String idempotencyKey) {
        return links.subscription(accountId).flatMap(found -> found.isEmpty() ? Uni.createFrom().<String>nullItem()
                : customers.ensure(accountId).flatMap(customer -> stripe.call(idempotencyKey, (client, options) ->
                        client.v1().invoiceItems().create(InvoiceItemCreateParams.builder().setCustomer(customer)
                                .setSubscription(found.get().subscriptionId()).setAmount(amountMinor)
                                .setCurrency(currency.toLowerCase(java.util.Locale.ROOT)).setDescription(description)
                                .putMetadata("account_id", accountId).build(), options))).map(item -> item.getId()));
    }
}
