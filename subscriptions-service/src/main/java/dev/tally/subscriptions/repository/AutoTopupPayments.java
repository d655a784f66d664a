package dev.tally.subscriptions.repository;

import dev.tally.subscriptions.payment.PaymentAttempts;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Auto top-up payments, claimed when due and finished once; in the session's transaction. */
@ApplicationScoped
public class AutoTopupPayments implements PanacheRepositoryBase<AutoTopupPayment, UUID> {

    /** {@link PaymentAttempts#claimDue}. */
    public Uni<List<AutoTopupPayment>> claimDue(Instant now, Instant next, int limit) {
        return getSession().flatMap(s -> PaymentAttempts.claimDue(s, AutoTopupPayment.class, now, next, limit));
    }

    /** {@link PaymentAttempts#finish}: true when this call recorded the outcome. */
    public Uni<Boolean> finish(UUID requestId, String status, String paymentRef, String failureCode, Instant now) {
        return getSession().flatMap(s -> PaymentAttempts.finish(s, AutoTopupPayment.class, "requestId", requestId, status, paymentRef, failureCode, now));
    }
}
