package dev.tally.credits.repository;

import dev.tally.contracts.plans.BillingInterval;
import dev.tally.credits.domain.SubscriptionPeriod;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The subscription's billing period and credit grant, as its latest applied event set them (on the account row; written by LedgerWriter). */
@ApplicationScoped
public class SubscriptionTermsRepository {

    /**
     * The period and grant in force (granted monthly when the event named no credit period); empty
     * before the first subscription event. Read under the account lock the caller already holds.
     */
    public Uni<Optional<SubscriptionPeriod>> find(SqlConnection tx, String accountId) {
        return tx.preparedQuery("SELECT period_start, period_end, credits_per_period, credit_period FROM credit_account WHERE account_id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.<SubscriptionPeriod>empty() : period(rows.iterator().next()));
    }

    private static Optional<SubscriptionPeriod> period(Row r) {
        OffsetDateTime start = r.getOffsetDateTime(0);
        OffsetDateTime end = r.getOffsetDateTime(1);
        if (start == null || end == null) {
            return Optional.empty();
        }
        String credit = r.getString(3);
        return Optional.of(new SubscriptionPeriod(start.toInstant(), end.toInstant(), r.getLong(2),
                credit == null ? BillingInterval.MONTH : BillingInterval.valueOf(credit)));
    }
}
