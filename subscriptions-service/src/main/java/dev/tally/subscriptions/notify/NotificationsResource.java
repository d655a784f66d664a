package dev.tally.subscriptions.notify;

import dev.tally.backbone.auth.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Support's view of the billing emails an account was sent (or could not be sent), newest first. */
@Path("/admin/notifications")
@RolesAllowed(Roles.ADMIN)
public class NotificationsResource {
    private final Pool pool;

    public NotificationsResource(Pool pool) {
        this.pool = pool;
    }

    public record SentEmail(long id, String kind, String email, String subject, String body, Instant queuedAt, Instant sentAt,
                            int attempts, String lastError) {
    }

    @GET
    public Uni<List<SentEmail>> forAccount(@QueryParam("accountId") @NotBlank String accountId) {
        return pool.preparedQuery("SELECT id, kind, email, subject, body, created_at, sent_at, attempts, last_error FROM notification "
                        + "WHERE account_id = $1 ORDER BY id DESC LIMIT 100")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<SentEmail> sent = new ArrayList<>();
                    rows.forEach(r -> sent.add(new SentEmail(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
                            r.getString(4), instant(r.getOffsetDateTime(5)), instant(r.getOffsetDateTime(6)), r.getInteger(7),
                            r.getString(8))));
                    return sent;
                });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
