package dev.tally.subscriptions.notify;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.LockMode;

/** Billing emails, queued and sent. */
@ApplicationScoped
public class NotificationRepository implements PanacheRepository<Notification> {

    /** The account's newest {@code limit} emails, newest first. */
    public Uni<List<Notification>> newest(String accountId, int limit) {
        return find("accountId", Sort.descending("id"), accountId).range(0, limit - 1).list();
    }

    /**
     * Up to {@code limit} queued emails with fewer than {@code maxAttempts} attempts, oldest first,
     * locked for the session's transaction; rows another sender has locked are skipped
     * ({@code FOR UPDATE SKIP LOCKED}), so replicas share the queue without waiting on each other.
     */
    public Uni<List<Notification>> claimDue(int maxAttempts, int limit) {
        return getSession().flatMap(s -> s.createSelectionQuery("from Notification where sentAt is null and attempts < :max order by id",
                        Notification.class)
                .setParameter("max", maxAttempts).setMaxResults(limit).setLockMode(LockMode.UPGRADE_SKIPLOCKED).getResultList());
    }
}
