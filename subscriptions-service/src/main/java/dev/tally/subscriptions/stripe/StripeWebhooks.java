package dev.tally.subscriptions.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Transactions;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.domain.BillingPeriod;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import dev.tally.subscriptions.service.Cancellations;
import dev.tally.subscriptions.service.ChangeQuoter.Ask;
import dev.tally.subscriptions.service.ChangeService;
import dev.tally.subscriptions.service.PaymentStanding;
import dev.tally.subscriptions.service.PurchaseService;
import dev.tally.subscriptions.stripe.StripeLinks.StripeSubscription;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies a verified Stripe event, once, in the transaction that records its id. Stripe sends
 * events out of order and more than once, so each handler decides from the object's own state:
 * subscription events older (by {@code created}) than the last one applied to that subscription
 * change nothing; a checkout session completes once; a state Tally already has is left alone.
 * Nothing here calls another service: what Stripe already did is applied from the event and the
 * local catalog read model, under the link's lock and then the subscription's (the order every path
 * that takes both uses).
 */
@ApplicationScoped
public class StripeWebhooks {
    private static final Logger LOG = Logger.getLogger(StripeWebhooks.class);
    private final StripeLinks links;
    private final PurchaseService purchases;
    private final ChangeService changes;
    private final Cancellations cancellations;
    private final PaymentStanding standing;
    private final SubscriptionRepository subscriptions;
    private final Catalog catalog;
    private final TallyClock clock;
    private final StripeSettings settings;
    private final StripeMoneyBack moneyBack;
    private final Transactions transactions;

    public StripeWebhooks(StripeLinks links, PurchaseService purchases, ChangeService changes, Cancellations cancellations,
                          PaymentStanding standing, SubscriptionRepository subscriptions, Catalog catalog, TallyClock clock,
                          StripeSettings settings, StripeMoneyBack moneyBack, Transactions transactions) {
        this.transactions = transactions;
        this.moneyBack = moneyBack;
        this.links = links;
        this.settings = settings;
        this.cancellations = cancellations;
        this.purchases = purchases;
        this.changes = changes;
        this.standing = standing;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Records the event's id and, the first time, applies it, in one transaction (on a connection:
     * the subscription's change paths it may run are native); false when it was recorded before.
     */
    public Uni<Boolean> receive(String id, String type, long created, JsonNode object, BillingPeriod stripePeriod) {
        return transactions.onConnection(tx -> links.recordEvent(tx, id, type, created, clock.instant())
                .call(fresh -> fresh ? apply(tx, type, created, object, stripePeriod) : Uni.createFrom().voidItem()));
    }

    /**
     * Applies the event; {@code stripePeriod} is the current period of the subscription a completed
     * Checkout created (read from Stripe before the transaction opened), or null.
     */
    public Uni<Void> apply(Tx tx, String type, long created, JsonNode object, BillingPeriod stripePeriod) {
        return switch (type) {
            case "checkout.session.completed" -> checkoutCompleted(tx, object, stripePeriod);
            case "checkout.session.expired" -> links.expire(tx, text(object, "id"));
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    subscriptionChanged(tx, created, object, type.endsWith("deleted"));
            case "invoice.payment_failed" -> invoice(tx, object, false);
            case "invoice.paid" -> invoice(tx, object, true);
            case "charge.refunded" -> moneyBack.refunded(tx, object);
            case "charge.dispute.created" -> moneyBack.disputed(tx, object);
            default -> Uni.createFrom().voidItem(); // recorded, nothing to do
        };
    }

    private Uni<Void> checkoutCompleted(Tx tx, JsonNode session, BillingPeriod stripePeriod) {
        return links.complete(tx, text(session, "id"), clock.instant()).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem(); // not ours, or completed already
            }
            var checkout = found.get();
            String paymentRef = Optional.ofNullable(text(session, "payment_intent")).orElse(checkout.id());
            if ("TOPUP".equals(checkout.kind())) {
                return catalog.creditPack(checkout.target()).flatMap(pack -> purchases.recordTopup(tx,
                        UUID.nameUUIDFromBytes(checkout.id().getBytes(StandardCharsets.UTF_8)), checkout.accountId(),
                        pack.orElseThrow(), paymentRef)).replaceWithVoid();
            }
            String subscriptionId = text(session, "subscription");
            // Stripe may send customer.subscription.created first: the link it made (item, price, event time) stays
            return links.lockSubscriptionById(tx, subscriptionId)
                    .map(stored -> stored.filter(s -> s.accountId().equals(checkout.accountId())).orElseGet(() ->
                            new StripeSubscription(checkout.accountId(), subscriptionId, null, null, "active", false, 0, null)))
                    .flatMap(link -> links.saveSubscription(tx, link, clock.instant()))
                    .flatMap(x -> changes.followProvider(tx, checkout.accountId(), new Ask(checkout.target(),
                            BillingInterval.valueOf(checkout.interval()), ChangeTiming.IMMEDIATE, null), false, subscriptionId, stripePeriod))
                    .replaceWithVoid()
                    .onFailure(ProblemException.class).recoverWithUni(e -> {
                        LOG.errorf("checkout %s was paid but the change to %s could not be applied: %s; needs an admin",
                                checkout.id(), checkout.target(), e.getMessage());
                        return Uni.createFrom().voidItem();
                    });
        });
    }

    private Uni<Void> subscriptionChanged(Tx tx, long created, JsonNode sub, boolean deleted) {
        String subscriptionId = text(sub, "id");
        return links.lockSubscriptionById(tx, subscriptionId).flatMap(stored -> accountOf(tx, sub, stored).flatMap(account -> {
            if (account.isEmpty() || stored.isPresent() && created < stored.get().lastEventCreated()) {
                return Uni.createFrom().voidItem(); // not an account of ours, or older than what was applied
            }
            String status = deleted ? "canceled" : text(sub, "status");
            JsonNode item = sub.path("items").path("data").path(0);
            var next = new StripeSubscription(account.get(), subscriptionId, text(item, "id"), text(item.path("price"), "id"), status,
                    sub.path("cancel_at_period_end").asBoolean(false), created,
                    stored.map(StripeSubscription::pastDueSince).orElse(null));
            return links.saveSubscription(tx, next, clock.instant()).flatMap(x -> reflect(tx, next, stored.orElse(null), sub));
        }));
    }

    /** Brings Tally's subscription in line with the newest state Stripe reported. */
    private Uni<Void> reflect(Tx tx, StripeSubscription now, StripeSubscription before, JsonNode sub) {
        String account = now.accountId();
        if ("canceled".equals(now.status())) {
            return standing.revertToFreeNow(tx, account);
        }
        Uni<Void> standingNow = switch (now.status()) {
            case "past_due", "unpaid" -> standing.pastDue(tx, account);
            case "active", "trialing" -> standing.recovered(tx, account);
            default -> Uni.createFrom().voidItem();
        };
        return standingNow.flatMap(x -> priceChanged(tx, now, before, sub)).flatMap(x -> subscriptions.find(tx.connection(), account)).flatMap(found -> {
            if (found.isEmpty() || found.get().cancelAtPeriodEnd() == now.cancelAtPeriodEnd()
                    || before == null || before.cancelAtPeriodEnd() == now.cancelAtPeriodEnd()) {
                return Uni.createFrom().voidItem();
            }
            return cancellations.cancelledAtProvider(tx, account, now.cancelAtPeriodEnd()).replaceWithVoid() // cancelled or resumed in the portal
                    .onFailure(ProblemException.class).recoverWithUni(e -> {
                        LOG.warnf("Stripe says %s cancel_at_period_end=%s but Tally refuses: %s", account, now.cancelAtPeriodEnd(), e.getMessage());
                        return Uni.createFrom().voidItem();
                    });
        });
    }

    /**
     * A price changed that Tally's link does not show yet. If the Stripe subscription carries Tally's
     * own change for that price (its {@code tally_*} metadata) and Tally is still at the revision it
     * was decided on, this service stopped between Stripe's answer and applying it: it is applied now,
     * exactly as decided (its timing and instant). Otherwise it was changed in the Stripe portal or
     * dashboard: the plan sold at that price applies here at once, as Stripe prorated it
     * (IMMEDIATE_PRORATED), without billing it again. A price no plan is sold at changes nothing.
     */
    private Uni<Void> priceChanged(Tx tx, StripeSubscription now, StripeSubscription before, JsonNode sub) {
        if (before == null || now.priceId() == null || now.priceId().equals(before.priceId())) {
            return Uni.createFrom().voidItem();
        }
        return subscriptions.find(tx.connection(), now.accountId()).flatMap(tally -> catalog.plansForSale().flatMap(plans -> plans.stream()
                .flatMap(plan -> plan.prices().stream().filter(p -> now.priceId().equals(p.stripePriceId()))
                        .map(p -> new Ask(plan.code(), p.interval(), ChangeTiming.IMMEDIATE_PRORATED, null)))
                .findFirst()
                // already there (the Checkout that created it, or Tally's own change): nothing to follow, nothing to warn of
                .filter(ask -> tally.isEmpty() || !ask.planCode().equals(tally.get().planCode()) || ask.interval() != tally.get().interval())
                .map(ask -> ChangeIntents.read(sub).filter(i -> i.plan().equals(ask.planCode()) && i.interval() == ask.interval())
                        .map(intent -> changes.followIntent(tx, now.accountId(), intent, now.subscriptionId()))
                        .orElseGet(() -> Uni.createFrom().item(false))
                        .flatMap(applied -> applied ? Uni.createFrom().voidItem()
                                : changes.followProvider(tx, now.accountId(), ask, true, now.subscriptionId()).replaceWithVoid())
                        .onFailure(ProblemException.class).recoverWithUni(e -> {
                            LOG.warnf("Stripe moved %s to price %s (%s) but Tally refuses it: %s", now.accountId(), now.priceId(),
                                    ask.planCode(), e.getMessage());
                            return Uni.createFrom().voidItem();
                        }))
                .orElseGet(() -> {
                    if (tally.isEmpty() || !onPlanAt(plans, tally.get(), now.priceId())) {
                        LOG.warnf("Stripe moved %s to price %s, which no plan for sale has", now.accountId(), now.priceId());
                    }
                    return Uni.createFrom().voidItem();
                })));
    }

    private static boolean onPlanAt(java.util.List<dev.tally.contracts.plans.PlanSnapshot> plans, dev.tally.subscriptions.domain.Subscription s,
                                    String priceId) {
        return plans.stream().anyMatch(plan -> plan.code().equals(s.planCode())
                && plan.prices().stream().anyMatch(p -> priceId.equals(p.stripePriceId()) && p.interval() == s.interval()));
    }

    private Uni<Void> invoice(Tx tx, JsonNode invoice, boolean paid) {
        String subscriptionId = Optional.ofNullable(text(invoice, "subscription"))
                .orElse(text(invoice.path("parent").path("subscription_details"), "subscription"));
        if (subscriptionId == null) {
            return Uni.createFrom().voidItem(); // a one-off invoice: nothing about a subscription
        }
        return links.lockSubscriptionById(tx, subscriptionId).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            var s = found.get();
            var next = new StripeSubscription(s.accountId(), s.subscriptionId(), s.itemId(), s.priceId(), s.status(), s.cancelAtPeriodEnd(),
                    s.lastEventCreated(), paid ? null : s.pastDueSince() != null ? s.pastDueSince() : clock.instant());
            // the grace's end is fixed when it begins: a second failed payment does not move it
            Instant graceEnds = paid ? null : s.pastDueSince() != null ? null : next.pastDueSince().plus(settings.pastDueGrace());
            return links.saveSubscription(tx, next, clock.instant())
                    .flatMap(x -> paid || graceEnds != null ? links.graceEndsAt(tx, s.subscriptionId(), graceEnds) : Uni.createFrom().voidItem())
                    .flatMap(x -> paid ? standing.recovered(tx, s.accountId()) : standing.pastDue(tx, s.accountId()));
        });
    }

    private Uni<Optional<String>> accountOf(Tx tx, JsonNode sub, Optional<StripeSubscription> stored) {
        if (stored.isPresent()) {
            return Uni.createFrom().item(Optional.of(stored.get().accountId()));
        }
        String fromMetadata = text(sub.path("metadata"), "account_id");
        if (fromMetadata != null) {
            return Uni.createFrom().item(Optional.of(fromMetadata));
        }
        String customer = text(sub, "customer");
        return customer == null ? Uni.createFrom().item(Optional.empty()) : links.accountOfCustomer(tx, customer);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
