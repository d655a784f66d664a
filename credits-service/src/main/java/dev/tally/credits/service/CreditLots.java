package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.repository.HoldReads;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What an account's balance is made of: each lot (bucket) that still holds credits, with its expiry
 * (the ledger's own table, read natively like the balance), and the open holds (Panache).
 */
@ApplicationScoped
public class CreditLots {
    private final Pool pool;
    private final HoldReads holds;
    private final TallyClock clock;

    public CreditLots(Pool pool, HoldReads holds, TallyClock clock) {
        this.pool = pool;
        this.holds = holds;
        this.clock = clock;
    }

    public record Lot(long id, String bucket, long remaining, Instant expiresAt, Instant createdAt) {
    }

    public record OpenHold(String holdId, long credits, String reason, Instant expiresAt, Instant createdAt) {
    }

    public record LotsView(String accountId, List<Lot> lots, List<OpenHold> openHolds) {
    }

    public Uni<LotsView> lots(String accountId) {
        Instant now = clock.instant();
        Uni<List<Lot>> lots = pool.preparedQuery("SELECT id, kind, remaining, expires_at, created_at FROM credit_bucket "
                        + "WHERE account_id = $1 AND remaining > 0 AND (expires_at IS NULL OR expires_at > $2) "
                        + "ORDER BY expires_at NULLS LAST, id")
                .execute(Tuple.of(accountId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<Lot> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Lot(r.getLong(0), r.getString(1), r.getLong(2), instant(r, 3), instant(r, 4))));
                    return out;
                });
        return lots.flatMap(l -> holds.open(accountId, now).map(open -> new LotsView(accountId, l, open.stream()
                .map(h -> new OpenHold(h.id.toString(), h.credits, h.reason, h.expiresAt, h.createdAt)).toList())));
    }

    private static Instant instant(Row r, int column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
