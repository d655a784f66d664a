package dev.tally.credits.rest;

import dev.tally.backbone.auth.Roles;
import dev.tally.backbone.clock.TallyClock;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What an account's balance is made of, for a "Plan & Credits" page and support: each lot (bucket)
 * that still holds credits, with its expiry, and the open holds. Read-only; a lot past its expiry is
 * left out (its EXPIRE entry may not be written yet, but it never counts), like the balance.
 */
@Path("/accounts/{accountId}/credits/lots")
@RolesAllowed({Roles.ACCOUNT, Roles.SERVICE, Roles.ADMIN})
public class LotsResource {
    private final Pool pool;
    private final TallyClock clock;

    public LotsResource(Pool pool, TallyClock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public record Lot(long id, String bucket, long remaining, Instant expiresAt, Instant createdAt) {
    }

    public record OpenHold(String holdId, long credits, String reason, Instant expiresAt, Instant createdAt) {
    }

    public record LotsView(String accountId, List<Lot> lots, List<OpenHold> openHolds) {
    }

    @GET
    public Uni<LotsView> lots(@PathParam("accountId") String accountId) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        Uni<List<Lot>> lots = pool.preparedQuery("SELECT id, kind, remaining, expires_at, created_at FROM credit_bucket "
                        + "WHERE account_id = $1 AND remaining > 0 AND (expires_at IS NULL OR expires_at > $2) "
                        + "ORDER BY expires_at NULLS LAST, id")
                .execute(Tuple.of(accountId, now))
                .map(rows -> {
                    List<Lot> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Lot(r.getLong(0), r.getString(1), r.getLong(2), instant(r, 3), instant(r, 4))));
                    return out;
                });
        Uni<List<OpenHold>> holds = pool.preparedQuery("SELECT id, credits, reason, expires_at, created_at FROM credit_hold "
                        + "WHERE account_id = $1 AND status = 'OPEN' AND expires_at > $2 ORDER BY created_at")
                .execute(Tuple.of(accountId, now))
                .map(rows -> {
                    List<OpenHold> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new OpenHold(r.getUUID(0).toString(), r.getLong(1), r.getString(2),
                            instant(r, 3), instant(r, 4))));
                    return out;
                });
        return Uni.combine().all().unis(lots, holds).asTuple()
                .map(t -> new LotsView(accountId, t.getItem1(), t.getItem2()));
    }

    private static Instant instant(Row r, int column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
