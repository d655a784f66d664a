package dev.tally.subscriptions.charges;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Charge lines, read by account, newest first. */
@ApplicationScoped
public class ChargeRepository implements PanacheRepositoryBase<Charge, Long> {

    /** Up to {@code limit} of the account's lines with an id below {@code before}, newest first. */
    public Uni<List<Charge>> page(String accountId, long before, int limit) {
        return find("accountId = ?1 and id < ?2", Sort.descending("id"), accountId, before).range(0, limit - 1).list();
    }
}
