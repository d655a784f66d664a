package dev.tally.subscriptions.payment;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/** The two statements every {@link PaymentAttempt} table needs, in the session's transaction. */
public final class PaymentAttempts {
    private PaymentAttempts() {
    }

    /**
     * Up to {@code limit} PENDING attempts due by {@code now}, oldest first, locked ({@code FOR UPDATE
     * SKIP LOCKED}: replicas share them without waiting), counted once more and their next attempt
     * moved to {@code next}, so a process that dies while paying leaves them to that attempt.
     */
    public static <E extends PaymentAttempt> Uni<List<E>> claimDue(Mutiny.Session session, Class<E> type, Instant now, Instant next,
                                                                  int limit) {
        return session.createSelectionQuery("from " + type.getSimpleName() + " where status = 'PENDING' and nextAttemptAt <= :now "
                        + "order by nextAttemptAt", type)
                .setParameter("now", now).setMaxResults(limit).setLockMode(LockMode.UPGRADE_SKIPLOCKED).getResultList()
                .invoke(due -> due.forEach(attempt -> {
                    attempt.attempts++;
                    attempt.nextAttemptAt = next;
                }));
    }

    /** Records the outcome if the attempt named {@code idField = id} is still PENDING; true when this call did. */
    public static Uni<Boolean> finish(Mutiny.Session session, Class<? extends PaymentAttempt> type, String idField, Object id,
                                      String status, String paymentRef, String failureCode, Instant now) {
        return session.createMutationQuery("update " + type.getSimpleName() + " set status = :status, paymentRef = :ref, "
                        + "failureCode = :code, finishedAt = :now where " + idField + " = :id and status = 'PENDING'")
                .setParameter("status", status).setParameter("ref", paymentRef).setParameter("code", failureCode)
                .setParameter("now", now).setParameter("id", id).executeUpdate().map(updated -> updated == 1);
    }
}
