package dev.tally.subscriptions.sales;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Sales inquiries for admins: the newest, of every account or of one. */
@ApplicationScoped
public class SalesInquiries {
    private static final int LIMIT = 200;
    private final SalesInquiryRepository inquiries;

    public SalesInquiries(SalesInquiryRepository inquiries) {
        this.inquiries = inquiries;
    }

    /** Up to 200, newest first; {@code accountId} null or blank: every account's. */
    @WithSession
    public Uni<List<SalesInquiry>> newest(String accountId) {
        boolean all = accountId == null || accountId.isBlank();
        return inquiries.newest(all ? null : accountId.strip(), LIMIT);
    }
}
