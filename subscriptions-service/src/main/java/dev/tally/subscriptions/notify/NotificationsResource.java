package dev.tally.subscriptions.notify;

import dev.tally.backbone.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;

/** Support's view of the billing emails an account was sent (or could not be sent), newest first. */
@Path("/admin/notifications")
@RolesAllowed(Roles.ADMIN)
public class NotificationsResource {
    private final Notifications notifications;

    public NotificationsResource(Notifications notifications) {
        this.notifications = notifications;
    }

    public record SentEmail(long id, String kind, String email, String subject, String body, Instant queuedAt, Instant sentAt,
                            int attempts, String lastError) {
    }

    @GET
    public Uni<List<SentEmail>> forAccount(@QueryParam("accountId") @NotBlank String accountId) {
        return notifications.newest(accountId).map(found -> found.stream().map(n -> new SentEmail(n.id, n.kind, n.email, n.subject,
                n.body, n.createdAt, n.sentAt, n.attempts, n.lastError)).toList());
    }
}
