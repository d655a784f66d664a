package dev.tally.subscriptions.charges;

import dev.tally.subscriptions.payment.PaymentAttempts;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Overage bills, claimed when due and finished once; in the session's transaction. */
@ApplicationScoped
public class UsageBillRepository implements PanacheRepositoryBase<UsageBill, String> {

    /** {@link PaymentAttempts#claimDue}. */
    public Uni<List<UsageBill>> claimDue(Instant now, Instant next, int limit) {
        return getSession().flatMap(s -> PaymentAttempts.claimDue(s, UsageBill.class, now, next, limit));
    }

    /** {@link PaymentAttempts#finish}: true when this call recorded the outcome. */
    public Uni<Boolean> finish(String paymentKey, String status, String paymentRef, String failureCode, Instant now) {
        return getSession().flatMap(s -> PaymentAttempts.finish(s, UsageBill.class, "paymentKey", paymentKey, status, paymentRef, failureCode, now));
    }
}
