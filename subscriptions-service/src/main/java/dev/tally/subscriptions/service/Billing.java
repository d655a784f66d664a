package dev.tally.subscriptions.service;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.subscriptions.domain.ChargeLine;
import dev.tally.subscriptions.domain.Money;
import dev.tally.subscriptions.domain.Subscription;
import dev.tally.subscriptions.payment.PaymentGateway;
import dev.tally.subscriptions.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bills what the rules decided: takes the part not covered by the customer balance through the
 * payment gateway (its idempotency key names the subscription revision, so a retried change never
 * charges twice) and records the charge lines with the payment's reference. A change is billed
 * before its transaction opens ({@link #billChange}, no lock held while a provider answers) and
 * recorded in it ({@link #recordPaid}).
 */
@ApplicationScoped
public class Billing {
    private final PaymentGateway payments;
    private final SubscriptionRepository subscriptions;
    private final PlanLookup plans;
    private final boolean stripe;

    public Billing(PaymentGateway payments, SubscriptionRepository subscriptions, PlanLookup plans,
                   @org.eclipse.microprofile.config.inject.ConfigProperty(name = "tally.payments.provider", defaultValue = "local")
                   String provider) {
        this.stripe = dev.tally.subscriptions.payment.PaymentGateways.stripe(provider);
        this.payments = payments;
        this.subscriptions = subscriptions;
        this.plans = plans;
    }

    /** What the payment gateway is told of a change: the target price (Stripe's id, if the catalog has one) and what is due now. */
    public Uni<PaymentGateway.PlanChangeOrder> order(Subscription after, String plan, int version, BillingInterval interval,
                                                     ChangeTiming timing, long payNowMinor, String currency, Instant quotedAt) {
        return order(after, plan, version, interval, timing, payNowMinor, currency, quotedAt, null);
    }

    /** As above, for a change support made ({@code support}: who and why, carried to the provider with the change). */
    public Uni<PaymentGateway.PlanChangeOrder> order(Subscription after, String plan, int version, BillingInterval interval,
                                                     ChangeTiming timing, long payNowMinor, String currency, Instant quotedAt,
                                                     ChangeQuoter.Support support) {
        return plans.version(plan, version).invoke(snapshot -> {
            if (stripe && snapshot.billingMode() == dev.tally.contracts.plans.BillingMode.IN_ARREARS) {
                // Stripe would bill the new price ahead; collecting in arrears through Stripe is not built
                throw ProblemException.unprocessable("billing_mode_not_supported", "Plan " + plan + " bills in arrears, which is not "
                        + "sold through Stripe yet; the local payment sandbox sells it.");
            }
        }).map(snapshot -> new PaymentGateway.PlanChangeOrder(after.accountId(), plan,
                snapshot.prices().stream().filter(p -> p.interval() == interval).findFirst().map(PlanPrice::stripePriceId).orElse(null),
                timing, payNowMinor, currency, plan + " v" + version + " (" + interval + ", " + timing + ")", key(after),
                new PaymentGateway.Intent(plan, interval, timing, quotedAt, after.revision(), support == null ? null : support.admin(),
                        support == null ? null : support.reason())));
    }

    /**
     * Bills a change through the gateway, outside any transaction; an
     * unsettled payment refuses the change (402) before anything is written. Null when nothing was due.
     */
    public Uni<PaymentGateway.Settlement> billChange(PaymentGateway.PlanChangeOrder order) {
        return payments.planChanged(order).invoke(settlement -> {
            if (settlement != null && !settlement.settled()) {
                throw new ProblemException(402, "payment_failed", "The payment for " + order.description()
                        + " did not go through; nothing was changed.");
            }
        });
    }

    /**
     * Takes the payment for a new period billed by the period end; the item is the payment's reference,
     * or null when nothing was due or it did not settle (the period starts either way, the lines stay unsettled).
     */
    public Uni<String> payPeriod(Tx tx, Subscription after, List<ChargeLine> lines, Money paid) {
        String what = lines.stream().map(ChargeLine::description).collect(Collectors.joining("; "));
        return payments.periodStarted(tx, after.accountId(), paid.minor(), paid.currency(), what, key(after))
                .map(s -> s == null || !s.settled() ? null : s.reference());
    }

    /** The idempotency key of what a subscription revision bills: a retried change never charges twice. */
    public static String key(Subscription after) {
        return "subscription:" + after.id() + ":revision:" + after.revision();
    }

    /** Lines the payment provider was paid for already (Checkout, the Stripe portal): recorded with its reference. */
    public Uni<Void> recordPaid(Tx tx, Subscription after, List<ChargeLine> lines, String reference, Instant now) {
        return record(tx, after, lines, reference, now, null);
    }

    /** Lines of a change, with who made it when support (an admin) did. */
    public Uni<Void> recordPaid(Tx tx, Subscription after, List<ChargeLine> lines, String reference, Instant now,
                                ChangeQuoter.Support support) {
        return record(tx, after, lines, reference, now, support);
    }

    private Uni<Void> record(Tx tx, Subscription s, List<ChargeLine> lines, String reference, Instant now) {
        return record(tx, s, lines, reference, now, null);
    }

    private Uni<Void> record(Tx tx, Subscription s, List<ChargeLine> lines, String reference, Instant now,
                             ChangeQuoter.Support support) {
        return subscriptions.chargeAll(tx.connection(), lines.stream().map(line -> new SubscriptionRepository.Charge(s, line, reference, now,
                support == null ? null : support.admin(), support == null ? null : support.reason())).toList());
    }
}
