package dev.tally.subscriptions.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.LockMode;

/** Auto top-up payments, claimed when due and finished once; in the session's transaction. */
@ApplicationScoped
public class AutoTopupPayments implements PanacheRepositoryBase<AutoTopupPayment, UUID> {

    /**
     * Up to {@code limit} PENDING payments due by {@code now}, oldest first, locked ({@code FOR UPDATE
     * SKIP LOCKED}: replicas share them without waiting), attempted once more and their next attempt
     * moved to {@code next}, so a process that dies while paying leaves them to that attempt.
     */
    public Uni<List<AutoTopupPayment>> claimDue(Instant now, Instant next, int limit) {
        return getSession().flatMap(s -> s.createSelectionQuery("from AutoTopupPayment where status = 'PENDING' and nextAttemptAt <= :now "
                        + "order by nextAttemptAt", AutoTopupPayment.class)
                .setParameter("now", now).setMaxResults(limit).setLockMode(LockMode.UPGRADE_SKIPLOCKED).getResultList())
                .invoke(due -> due.forEach(payment -> {
                    payment.attempts++;
                    payment.nextAttemptAt = next;
                }));
    }

    /** Records the outcome if the payment is still PENDING; true when this call did. */
    public Uni<Boolean> finish(UUID requestId, String status, String paymentRef, String failureCode, Instant now) {
        return getSession().flatMap(s -> s.createMutationQuery("update AutoTopupPayment set status = :status, paymentRef = :ref, "
                        + "failureCode = :code, finishedAt = :now where requestId = :id and status = 'PENDING'")
                .setParameter("status", status).setParameter("ref", paymentRef).setParameter("code", failureCode)
                .setParameter("now", now).setParameter("id", requestId).executeUpdate()).map(updated -> updated == 1);
    }
}
