package dev.tally.subscriptions.charges;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.hibernate.LockMode;

/** Overage bills, claimed when due and finished once; in the session's transaction. */
@ApplicationScoped
public class UsageBillRepository implements PanacheRepositoryBase<UsageBill, String> {

    /**
     * Up to {@code limit} PENDING bills due by {@code now}, oldest first, locked ({@code FOR UPDATE
     * SKIP LOCKED}: replicas share them without waiting) and their next attempt moved to {@code next},
     * so a process that dies while paying leaves them to the next attempt.
     */
    public Uni<List<UsageBill>> claimDue(Instant now, Instant next, int limit) {
        return getSession().flatMap(s -> s.createSelectionQuery("from UsageBill where status = 'PENDING' and nextAttemptAt <= :now "
                        + "order by nextAttemptAt", UsageBill.class)
                .setParameter("now", now).setMaxResults(limit).setLockMode(LockMode.UPGRADE_SKIPLOCKED).getResultList())
                .invoke(due -> due.forEach(bill -> {
                    bill.attempts++;
                    bill.nextAttemptAt = next;
                }));
    }

    /** Marks the bill BILLED or FAILED if it is still PENDING; true when this call did. */
    public Uni<Boolean> finish(String paymentKey, String status, String paymentRef, String failureCode, Instant now) {
        return getSession().flatMap(s -> s.createMutationQuery("update UsageBill set status = :status, paymentRef = :ref, "
                        + "failureCode = :code, finishedAt = :now where paymentKey = :key and status = 'PENDING'")
                .setParameter("status", status).setParameter("ref", paymentRef).setParameter("code", failureCode)
                .setParameter("now", now).setParameter("key", paymentKey).executeUpdate()).map(updated -> updated == 1);
    }
}
