package dev.tally.subscriptions.notify;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Billing emails, queued and sent. */
@ApplicationScoped
public class NotificationRepository implements PanacheRepository<Notification> {

    /** The account's newest {@code limit} emails, newest first. */
    public Uni<List<Notification>> newest(String accountId, int limit) {
        return find("accountId", Sort.descending("id"), accountId).range(0, limit - 1).list();
    }
}
