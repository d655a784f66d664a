package dev.tally.contracts;

import dev.tally.contracts.billing.CreditPeriodEnded;
import dev.tally.contracts.billing.PeriodEnded;
import dev.tally.contracts.billing.UsageCloseDue;
import dev.tally.contracts.credits.AutoTopupDisabled;
import dev.tally.contracts.credits.AutoTopupRequested;
import dev.tally.contracts.credits.AutoTopupSkipped;
import dev.tally.contracts.credits.AutoTopupTimedOut;
import dev.tally.contracts.credits.BalanceRecovered;
import dev.tally.contracts.credits.CreditsClawedBack;
import dev.tally.contracts.credits.CreditsForfeited;
import dev.tally.contracts.credits.CreditsGranted;
import dev.tally.contracts.credits.CreditsRolledOver;
import dev.tally.contracts.credits.EntitlementsChanged;
import dev.tally.contracts.credits.LotVoided;
import dev.tally.contracts.credits.LowBalance;
import dev.tally.contracts.credits.OverageAlert;
import dev.tally.contracts.credits.UsageClosed;
import dev.tally.contracts.plans.ChangePolicySnapshot;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.AutoTopupPaymentFailed;
import dev.tally.contracts.subscriptions.InvoiceCollected;
import dev.tally.contracts.subscriptions.InvoiceComputed;
import dev.tally.contracts.subscriptions.SalesInquiryReceived;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.contracts.subscriptions.TopupRefunded;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type Tally publishes, in one place, so producers and consumers share one definition. */
public final class Events {
    public static final EventType<PlanSnapshot> PLAN_PUBLISHED =
            new EventType<>("plan.published", Topics.PLANS, PlanSnapshot.class);
    /** A plan is no longer sold: its full snapshot with status RETIRED, so the compacted topic keeps a whole plan per key. */
    public static final EventType<PlanSnapshot> PLAN_RETIRED =
            new EventType<>("plan.retired", Topics.PLANS, PlanSnapshot.class);
    /** Key {@code pack:<code>}, so a pack never shares a compaction key with a plan. */
    public static final EventType<CreditPackSnapshot> CREDIT_PACK_PUBLISHED =
            new EventType<>("credit-pack.published", Topics.PLANS, CreditPackSnapshot.class);
    /** Key {@code change-policy}: every override of the change policy, whole, at its version (the highest one wins). */
    public static final EventType<ChangePolicySnapshot> CHANGE_POLICY_PUBLISHED =
            new EventType<>("change-policy.published", Topics.PLANS, ChangePolicySnapshot.class);

    public static final EventType<SubscriptionEvent> SUBSCRIPTION_STARTED = subscription("subscription.started");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_PLAN_CHANGED = subscription("subscription.plan-changed");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_RENEWED = subscription("subscription.renewed");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_CHANGE_SCHEDULED = subscription("subscription.change-scheduled");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_CHANGE_CANCELLED = subscription("subscription.change-cancelled");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_CANCEL_SCHEDULED = subscription("subscription.cancel-scheduled");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_RESUMED = subscription("subscription.resumed");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_REVERTED_TO_FREE = subscription("subscription.reverted-to-free");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_PAST_DUE = subscription("subscription.past-due");
    public static final EventType<SubscriptionEvent> SUBSCRIPTION_PAYMENT_RECOVERED = subscription("subscription.payment-recovered");
    public static final EventType<SalesInquiryReceived> SALES_INQUIRY_RECEIVED =
            new EventType<>("sales-inquiry.received", Topics.SUBSCRIPTIONS, SalesInquiryReceived.class);
    public static final EventType<TopupPurchased> TOPUP_PURCHASED =
            new EventType<>("topup.purchased", Topics.SUBSCRIPTIONS, TopupPurchased.class);
    /** A top-up's money went back (refund or dispute), cumulative per purchase: credits-service claws its lot back. */
    public static final EventType<TopupRefunded> TOPUP_REFUNDED =
            new EventType<>("topup.refunded", Topics.SUBSCRIPTIONS, TopupRefunded.class);

    /** The charges of a period billed in arrears, computed at its usage close (again when its usage joins). */
    public static final EventType<InvoiceComputed> INVOICE_COMPUTED =
            new EventType<>("invoice.computed", Topics.SUBSCRIPTIONS, InvoiceComputed.class);
    /** Those charges collected on the billing date, once. */
    public static final EventType<InvoiceCollected> INVOICE_COLLECTED =
            new EventType<>("invoice.collected", Topics.SUBSCRIPTIONS, InvoiceCollected.class);

    /** An auto top-up's payment failed (declined, no payment method, never answered); nothing is granted. */
    public static final EventType<AutoTopupPaymentFailed> AUTO_TOPUP_PAYMENT_FAILED =
            new EventType<>("auto-topup.payment-failed", Topics.SUBSCRIPTIONS, AutoTopupPaymentFailed.class);

    public static final EventType<PeriodEnded> PERIOD_ENDED =
            new EventType<>("period.ended", Topics.BILLING_COMMANDS, PeriodEnded.class);
    public static final EventType<UsageCloseDue> USAGE_CLOSE_DUE =
            new EventType<>("usage.close-due", Topics.BILLING_COMMANDS, UsageCloseDue.class);
    public static final EventType<CreditPeriodEnded> CREDIT_PERIOD_ENDED =
            new EventType<>("credit-period.ended", Topics.BILLING_COMMANDS, CreditPeriodEnded.class);

    public static final EventType<CreditsGranted> CREDITS_GRANTED =
            new EventType<>("credits.granted", Topics.CREDITS, CreditsGranted.class);
    public static final EventType<CreditsForfeited> CREDITS_FORFEITED =
            new EventType<>("credits.forfeited", Topics.CREDITS, CreditsForfeited.class);
    /** A balance alert's threshold crossed downwards (once per crossing). */
    public static final EventType<LowBalance> CREDITS_LOW_BALANCE =
            new EventType<>("credits.low-balance", Topics.CREDITS, LowBalance.class);
    /** Back at or above a threshold it had fallen below. */
    public static final EventType<BalanceRecovered> CREDITS_BALANCE_RECOVERED =
            new EventType<>("credits.balance-recovered", Topics.CREDITS, BalanceRecovered.class);
    /** The open overage passed an overage alert's amount. */
    public static final EventType<OverageAlert> CREDITS_OVERAGE_ALERT =
            new EventType<>("credits.overage-alert", Topics.CREDITS, OverageAlert.class);
    /** Unused subscription credits rolled into the next period, capped. */
    public static final EventType<CreditsRolledOver> CREDITS_ROLLED_OVER =
            new EventType<>("credits.rolled-over", Topics.CREDITS, CreditsRolledOver.class);
    public static final EventType<LotVoided> CREDITS_LOT_VOIDED =
            new EventType<>("credits.lot-voided", Topics.CREDITS, LotVoided.class);
    public static final EventType<CreditsClawedBack> CREDITS_CLAWED_BACK =
            new EventType<>("credits.clawed-back", Topics.CREDITS, CreditsClawedBack.class);
    public static final EventType<UsageClosed> USAGE_CLOSED =
            new EventType<>("usage.closed", Topics.CREDITS, UsageClosed.class);
    /** An account's plan, features or seats changed (a change, cancellation or revert took effect), as the entitlement check now answers. */
    public static final EventType<EntitlementsChanged> ENTITLEMENTS_CHANGED =
            new EventType<>("entitlements.changed", Topics.CREDITS, EntitlementsChanged.class);

    /** A debit crossed the account's auto top-up threshold: buy its pack (once per crossing, one in flight). */
    public static final EventType<AutoTopupRequested> AUTO_TOPUP_REQUESTED =
            new EventType<>("credits.auto-topup-requested", Topics.CREDITS, AutoTopupRequested.class);
    /** A crossing that bought nothing (the month's spend cap). */
    public static final EventType<AutoTopupSkipped> AUTO_TOPUP_SKIPPED =
            new EventType<>("credits.auto-topup-skipped", Topics.CREDITS, AutoTopupSkipped.class);
    /** Auto top-up switched itself off (failed payments in a row). */
    public static final EventType<AutoTopupDisabled> AUTO_TOPUP_DISABLED =
            new EventType<>("credits.auto-topup-disabled", Topics.CREDITS, AutoTopupDisabled.class);
    /** An auto top-up in flight got no answer in time: no longer in flight, counted as a failure. */
    public static final EventType<AutoTopupTimedOut> AUTO_TOPUP_TIMED_OUT =
            new EventType<>("credits.auto-topup-timed-out", Topics.CREDITS, AutoTopupTimedOut.class);

    public static final List<EventType<?>> ALL = List.of(
            PLAN_PUBLISHED, PLAN_RETIRED, CREDIT_PACK_PUBLISHED, CHANGE_POLICY_PUBLISHED,
            SUBSCRIPTION_STARTED, SUBSCRIPTION_PLAN_CHANGED, SUBSCRIPTION_RENEWED, SUBSCRIPTION_CHANGE_SCHEDULED,
            SUBSCRIPTION_CHANGE_CANCELLED, SUBSCRIPTION_CANCEL_SCHEDULED, SUBSCRIPTION_RESUMED,
            SUBSCRIPTION_REVERTED_TO_FREE, SUBSCRIPTION_PAST_DUE, SUBSCRIPTION_PAYMENT_RECOVERED, SALES_INQUIRY_RECEIVED, TOPUP_PURCHASED,
            TOPUP_REFUNDED,
            INVOICE_COMPUTED, INVOICE_COLLECTED,
            PERIOD_ENDED, USAGE_CLOSE_DUE, CREDIT_PERIOD_ENDED,
            CREDITS_GRANTED, CREDITS_FORFEITED, CREDITS_LOW_BALANCE, CREDITS_BALANCE_RECOVERED, CREDITS_OVERAGE_ALERT,
            CREDITS_ROLLED_OVER, USAGE_CLOSED,
            AUTO_TOPUP_PAYMENT_FAILED, AUTO_TOPUP_REQUESTED, AUTO_TOPUP_SKIPPED, AUTO_TOPUP_DISABLED, AUTO_TOPUP_TIMED_OUT,
            CREDITS_LOT_VOIDED, CREDITS_CLAWED_BACK, ENTITLEMENTS_CHANGED);

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private Events() {
    }

    /** The type with this CloudEvents {@code type}; empty for a type this build does not know yet. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static EventType<SubscriptionEvent> subscription(String name) {
        return new EventType<>(name, Topics.SUBSCRIPTIONS, SubscriptionEvent.class);
    }
}
