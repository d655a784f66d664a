package dev.tally.web;

import java.time.Instant;
import java.util.List;

/** What subscriptions-service answers: the subscription, a change's quote, charges, history, inquiries, emails. */
public final class Subscriptions {
    private Subscriptions() {
    }

    public record PendingChange(String planCode, String interval, String timing, Instant effectiveAt) {
    }

    public record Subscription(String accountId, String planCode, int planVersion, String interval, String status,
                               Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd, PendingChange pendingChange,
                               List<String> features, int seats, long revision) {
    }

    public record CreditsOutlook(long subscriptionCreditsNow, long kept, long granted, long forfeited, long rolledOver) {
    }

    public record Warning(String code, String message) {
    }

    /** A preview's (or a change's) answer. */
    public record Quote(String previewId, Instant quotedAt, Instant expiresAt, String fromPlan, String fromInterval,
                        String toPlan, String toInterval, String direction, String timing, List<String> allowedTimings,
                        String currency, long creditForUnusedMinor, long chargeMinor, long dueMinor,
                        long customerBalanceUsedMinor, long payNowMinor, long customerBalanceAfterMinor, Instant effectiveAt,
                        Instant newPeriodStart, Instant newPeriodEnd, PendingChange replaces, CreditsOutlook credits,
                        List<Warning> warnings) {
    }

    public record Charge(long id, String kind, String paidFor, String description, Instant periodStart, Instant periodEnd,
                         String packCode, Long packCredits, long amountMinor, String currency, String paymentRef, Instant at,
                         String actedBy, String reason) {
    }

    public record Topup(String packCode, long credits, long amountMinor, String currency) {
    }

    public record HistoryEntry(long revision, String kind, String fromPlan, String toPlan, String toInterval, String timing,
                               String actedBy, String reason, Instant at) {
    }

    public record SalesInquiry(String id, String planCode, String contactEmail, String message, Instant receivedAt) {
    }

    public record SentEmail(long id, String kind, String email, String subject, Instant queuedAt, Instant sentAt, int attempts) {
    }

    public record CustomerBalance(long amountMinor, String currency) {
    }

    /** A Stripe Checkout or portal session: where to send the browser. */
    public record StripeSession(String url) {
    }
}
