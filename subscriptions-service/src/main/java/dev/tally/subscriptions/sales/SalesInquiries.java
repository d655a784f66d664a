package dev.tally.subscriptions.sales;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.SalesInquiryReceived;
import dev.tally.subscriptions.notify.Notifications;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Requests to move to a plan sold through sales. An inquiry is recorded, announced
 * ({@code sales-inquiry.received}) and emailed to sales (queued with it) in one session
 * transaction; admins read the newest, of every account or of one.
 */
@ApplicationScoped
public class SalesInquiries {
    private static final int LIMIT = 200;
    private final SalesInquiryRepository inquiries;
    private final Catalog catalog;
    private final Outbox outbox;
    private final Notifications notifications;
    private final TallyClock clock;

    public SalesInquiries(SalesInquiryRepository inquiries, Catalog catalog, Outbox outbox, Notifications notifications, TallyClock clock) {
        this.inquiries = inquiries;
        this.catalog = catalog;
        this.outbox = outbox;
        this.notifications = notifications;
        this.clock = clock;
    }

    /** Records an inquiry for {@code planCode} (404 {@code plan_not_found}; 422 {@code self_serve_plan}), in {@code tx}, a session's. */
    public Uni<SalesInquiryReceived> inquire(Tx tx, String accountId, String planCode, String email, String message) {
        return catalog.latest(planCode).flatMap(found -> {
            PlanSnapshot plan = found.orElseThrow(() -> ProblemException.notFound("plan_not_found", "No plan " + planCode + "."));
            if (plan.selfServe()) {
                throw ProblemException.unprocessable("self_serve_plan", "Plan " + planCode + " is self-serve: change to it directly.");
            }
            var now = clock.instant();
            var received = new SalesInquiryReceived(UUID.randomUUID(), accountId, planCode, email, message, now);
            var inquiry = new SalesInquiry();
            inquiry.id = received.inquiryId();
            inquiry.accountId = accountId;
            inquiry.planCode = planCode;
            inquiry.contactEmail = email;
            inquiry.message = message;
            inquiry.receivedAt = now;
            tx.session(); // the entity is written in this transaction: it must be the session's
            return inquiries.persist(inquiry)
                    .flatMap(x -> outbox.add(tx, OutgoingEvent.forAccount(Events.SALES_INQUIRY_RECEIVED, accountId, received, now)))
                    .call(x -> notifications.salesInquiryReceived(tx, received))
                    .replaceWith(received);
        });
    }

    /** Up to 200, newest first; {@code accountId} null or blank: every account's. */
    @WithSession
    public Uni<List<SalesInquiry>> newest(String accountId) {
        boolean all = accountId == null || accountId.isBlank();
        return inquiries.newest(all ? null : accountId.strip(), LIMIT);
    }
}
