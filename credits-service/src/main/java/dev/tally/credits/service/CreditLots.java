package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.credits.repository.HoldReads;
import dev.tally.credits.repository.LotQueries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * What an account's balance is made of: its lots (every grant is one) with their source, what was
 * granted and what is left (the ledger's own tables, read natively like the balance), the open holds
 * (Panache), and what refunds left owed.
 */
@ApplicationScoped
public class CreditLots {
    private final Pool pool;
    private final LotQueries lots;
    private final HoldReads holds;
    private final TallyClock clock;

    public CreditLots(Pool pool, LotQueries lots, HoldReads holds, TallyClock clock) {
        this.pool = pool;
        this.lots = lots;
        this.holds = holds;
        this.clock = clock;
    }

    public record OpenHold(String holdId, long credits, String reason, Instant expiresAt, Instant createdAt) {
    }

    /** {@code shortfall}: credits refunds and disputes claimed back that had been spent already, over all lots (owed). */
    public record LotsView(String accountId, List<LotQueries.Lot> lots, List<OpenHold> openHolds, long shortfall) {
    }

    public Uni<LotsView> lots(String accountId, LotQueries.Filter filter, long before, int limit) {
        Instant now = clock.instant();
        return Uni.combine().all().unis(lots.lots(pool, accountId, filter, now, before, limit), lots.shortfall(pool, accountId)).asTuple()
                .flatMap(read -> holds.open(accountId, now).map(open -> new LotsView(accountId, read.getItem1(), open.stream()
                        .map(h -> new OpenHold(h.id.toString(), h.credits, h.reason, h.expiresAt, h.createdAt)).toList(), read.getItem2())));
    }
}
