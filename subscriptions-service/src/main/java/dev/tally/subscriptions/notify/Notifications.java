package dev.tally.subscriptions.notify;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.subscriptions.SalesInquiryReceived;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import dev.tally.backbone.tx.Tx;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Billing emails, queued in the transaction of the change they confirm (so a rolled-back change
 * sends nothing) and sent afterwards by {@link NotificationSender}. The address is the account's
 * billing contact at the time of queueing; an account without one gets none (recorded as such).
 * Sales inquiries go to the sales address instead ({@code tally.sales.email}), queued as a
 * {@link Notification} entity in the inquiry's session transaction; the cancel and period-end paths
 * run on a connection and queue theirs with one native statement that reads the address as it inserts.
 */
@ApplicationScoped
public class Notifications {
    private final Template cancelConfirmation;
    private final Template revertedToFree;
    private final Template salesInquiry;
    private final Template autoTopupFailed;
    private final String salesAddress;
    private final TallyClock clock;
    private final NotificationRepository queued;

    public Notifications(NotificationRepository queued, @Location("cancel-confirmation.txt") Template cancelConfirmation,
                         @Location("reverted-to-free.txt") Template revertedToFree, @Location("sales-inquiry.txt") Template salesInquiry,
                         @ConfigProperty(name = "tally.sales.email") String salesAddress, TallyClock clock,
                         @Location("auto-topup-failed.txt") Template autoTopupFailed) {
        this.autoTopupFailed = autoTopupFailed;
        this.cancelConfirmation = cancelConfirmation;
        this.revertedToFree = revertedToFree;
        this.salesInquiry = salesInquiry;
        this.salesAddress = salesAddress;
        this.clock = clock;
        this.queued = queued;
    }

    /** The account's last 100 billing emails, newest first, sent or not (support's view). */
    @WithSession
    public Uni<List<Notification>> newest(String accountId) {
        return queued.newest(accountId, 100);
    }

    /** Tells sales ({@code tally.sales.email}) of an inquiry, queued in {@code tx}, the session transaction that records it. */
    public Uni<Void> salesInquiryReceived(Tx tx, SalesInquiryReceived inquiry) {
        tx.session(); // the entity is written in this transaction: it must be the session's
        var email = new Notification();
        email.accountId = inquiry.accountId();
        email.kind = "sales-inquiry";
        email.email = salesAddress;
        email.subject = "Sales inquiry for " + inquiry.planCode() + " from " + inquiry.accountId();
        email.body = salesInquiry.data("accountId", inquiry.accountId()).data("plan", inquiry.planCode())
                .data("contactEmail", inquiry.contactEmail()).data("receivedAt", inquiry.receivedAt())
                .data("inquiryId", inquiry.inquiryId()).data("message", inquiry.message()).render();
        email.createdAt = clock.instant();
        return queued.persist(email).replaceWithVoid();
    }

    /** "Your subscription ends on ...": paid features stay until then, then the free plan. */
    public Uni<Void> cancelConfirmed(Tx tx, String accountId, String planCode, Instant endsAt, String freePlan) {
        String body = cancelConfirmation.data("accountId", accountId).data("plan", planCode).data("endsAt", endsAt)
                .data("freePlan", freePlan).render();
        return enqueue(tx, accountId, "cancel-confirmation", "Your " + planCode + " subscription ends on " + day(endsAt), body);
    }

    /** "You are on the free plan now": sent when a cancelled subscription reverts at its period end. */
    public Uni<Void> revertedToFree(Tx tx, String accountId, String fromPlan, String freePlan, Instant at) {
        String body = revertedToFree.data("accountId", accountId).data("fromPlan", fromPlan).data("freePlan", freePlan)
                .data("at", at).render();
        return enqueue(tx, accountId, "reverted-to-free", "Your account is now on the " + freePlan + " plan", body);
    }

    /** "Your automatic top-up could not be paid": queued with the auto-topup.payment-failed event. */
    public Uni<Void> autoTopupFailed(Tx tx, dev.tally.contracts.subscriptions.AutoTopupPaymentFailed failed) {
        String body = autoTopupFailed.data("accountId", failed.accountId()).data("detail", failed.detail()).data("pack", failed.packCode())
                .data("amount", failed.amountMinor()).data("currency", failed.currency()).render();
        return enqueue(tx, failed.accountId(), "auto-topup-failed", "Your automatic top-up could not be paid", body);
    }

    /** Queued with the account's billing contact read as it is queued, in {@code tx} (a session's or a connection's). */
    private Uni<Void> enqueue(Tx tx, String accountId, String kind, String subject, String body) {
        return tx.update("INSERT INTO notification (account_id, kind, email, subject, body, created_at) "
                + "SELECT $1, $2, (SELECT email FROM account_contact WHERE account_id = $1), $3, $4, $5", accountId, kind, subject, body,
                clock.instant().atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }

    private static String day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
