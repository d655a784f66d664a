package dev.tally.subscriptions.sales;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Sales inquiries, newest first. */
@ApplicationScoped
public class SalesInquiryRepository implements PanacheRepositoryBase<SalesInquiry, UUID> {
    private static final Sort NEWEST_FIRST = Sort.descending("receivedAt").and("id");

    /** The newest {@code limit} inquiries of every account, or of one ({@code accountId} not null). */
    public Uni<List<SalesInquiry>> newest(String accountId, int limit) {
        var query = accountId == null ? findAll(NEWEST_FIRST) : find("accountId", NEWEST_FIRST, accountId);
        return query.range(0, limit - 1).list();
    }
}
