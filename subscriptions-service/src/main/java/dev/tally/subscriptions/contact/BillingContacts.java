package dev.tally.subscriptions.contact;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Where an account's billing emails go: set (replacing the one before) and read. */
@ApplicationScoped
public class BillingContacts {
    private final BillingContactRepository contacts;
    private final TallyClock clock;

    public BillingContacts(BillingContactRepository contacts, TallyClock clock) {
        this.contacts = contacts;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Void> set(String accountId, String email) {
        return contacts.put(accountId, email, clock.instant());
    }

    /** The account's address; 404 {@code no_billing_contact} when it left none. */
    @WithSession
    public Uni<String> email(String accountId) {
        return contacts.findById(accountId).map(found -> {
            if (found == null) {
                throw ProblemException.notFound("no_billing_contact", "Account " + accountId + " has no billing contact.");
            }
            return found.email;
        });
    }
}
