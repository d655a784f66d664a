package dev.tally.subscriptions.contact;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Billing contacts by account id. */
@ApplicationScoped
public class BillingContactRepository implements PanacheRepositoryBase<BillingContact, String> {

    /**
     * Sets the account's address in one statement (HQL's {@code on conflict}): two first-time
     * requests racing both succeed, the later one's address kept.
     */
    public Uni<Void> put(String accountId, String email, Instant at) {
        return getSession().flatMap(s -> s.createMutationQuery("insert into BillingContact (accountId, email, updatedAt) "
                        + "values (:account, :email, :at) on conflict (accountId) do update set email = excluded.email, updatedAt = excluded.updatedAt")
                .setParameter("account", accountId).setParameter("email", email).setParameter("at", at)
                .executeUpdate()).replaceWithVoid();
    }
}
