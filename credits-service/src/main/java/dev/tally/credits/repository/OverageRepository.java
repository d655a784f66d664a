package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.contracts.credits.UsageClosed;
import dev.tally.credits.domain.OverageClose;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Overage usage not billed yet, and the usage closes of billing periods (V2). Under the account's lock. */
@ApplicationScoped
public class OverageRepository {

    /** The account's overage not closed yet (a read: under the lock in a usage close, or on the pool for usage so far). */
    public Uni<List<OverageClose.OpenUsage>> open(SqlClient db, String accountId) {
        return db.preparedQuery("SELECT id, credits, created_at FROM overage_usage WHERE account_id = $1 AND closed_for_period_end IS NULL")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    List<OverageClose.OpenUsage> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new OverageClose.OpenUsage(r.getLong(0), r.getLong(1), r.getOffsetDateTime(2).toInstant())));
                    return out;
                });
    }

    /** Records the close, once per (subscription, period): false when the period was closed already (then nothing changes). */
    public Uni<Boolean> close(SqlConnection tx, UsageClosed closed, List<Long> usageIds) {
        return tx.preparedQuery("INSERT INTO usage_close (subscription_id, period_end, account_id, overage_credits, amount_minor, "
                        + "currency, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(Arrays.asList(closed.subscriptionId(), at(closed.periodEnd()), closed.accountId(), closed.overageCredits(),
                        closed.amountMinor(), closed.currency(), at(closed.closedAt()))))
                .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery("UPDATE overage_usage SET closed_for_period_end = $2 WHERE id = ANY($1)")
                                .execute(Tuple.of(usageIds.toArray(Long[]::new), at(closed.periodEnd()))).replaceWith(true));
    }
}
