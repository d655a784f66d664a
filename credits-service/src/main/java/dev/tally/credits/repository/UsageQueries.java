package dev.tally.credits.repository;

import static dev.tally.credits.repository.LedgerRepository.at;

import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.credits.domain.Entitlements;
import dev.tally.credits.domain.SubscriptionPeriod;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads for usage so far and the entitlement check, without locking or writing: what was spent in a
 * window, the account's credit terms and period, and its spendable credits as a debit would see
 * them now (a bucket past its expiry never counts; today's daily credits count before the first
 * touch of the day grants them).
 */
@ApplicationScoped
public class UsageQueries {

    /** The account's credit terms and subscription period, as its latest applied event set them. */
    public record Terms(Overage overage, long dailyCredits, LocalDate dailyDay, SubscriptionPeriod period) {
    }

    /** Terms and spendable credits in one statement (the entitlement check of {@code credits}). */
    public record CreditsNow(Terms terms, long spendable) {
    }

    private static final String TERMS = "SELECT a.overage_mode, a.overage_unit_price_minor, a.overage_unit_credits, a.overage_currency, "
            + "a.daily_credits, a.daily_day, a.period_start, a.period_end, a.credits_per_period, a.credit_period";

    public Uni<Optional<Terms>> terms(SqlClient db, String accountId) {
        return db.preparedQuery(TERMS + " FROM credit_account a WHERE a.account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> rows.size() == 0 ? Optional.<Terms>empty() : Optional.of(terms(rows.iterator().next())));
    }

    public Uni<Optional<CreditsNow>> creditsNow(SqlClient db, String accountId, Instant now) {
        return db.preparedQuery(TERMS + ", (SELECT COALESCE(SUM(b.remaining), 0) FROM credit_bucket b WHERE b.account_id = a.account_id "
                        + "AND b.remaining > 0 AND b.kind <> 'DAILY' AND (b.expires_at IS NULL OR b.expires_at > $2)) AS live, "
                        + "(SELECT COALESCE(SUM(b.remaining), 0) FROM credit_bucket b WHERE b.account_id = a.account_id "
                        + "AND b.remaining > 0 AND b.kind = 'DAILY' AND b.expires_at > $2) AS daily, "
                        + "(SELECT COALESCE(SUM(h.credits), 0) FROM credit_hold h WHERE h.account_id = a.account_id AND h.status = 'OPEN' "
                        + "AND h.expires_at > $2) AS held FROM credit_account a WHERE a.account_id = $1")
                .execute(Tuple.of(accountId, at(now)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<CreditsNow>empty();
                    }
                    Row r = rows.iterator().next();
                    Terms t = terms(r);
                    long spendable = Entitlements.spendable(r.getLong("live"), r.getLong("daily"), t.dailyDay(), t.dailyCredits(),
                            r.getLong("held"), now);
                    return Optional.of(new CreditsNow(t, spendable));
                });
    }

    /** Credits spent from each bucket kind since {@code since}: debits less what reversals gave back. */
    public Uni<Map<CreditBucketKind, Long>> spentSince(SqlClient db, String accountId, Instant since) {
        return db.preparedQuery("SELECT bucket, -SUM(amount) FROM ledger_entry WHERE account_id = $1 AND kind IN ('DEBIT', 'REVERSAL') "
                        + "AND created_at >= $2 GROUP BY bucket")
                .execute(Tuple.of(accountId, at(since)))
                .map(rows -> {
                    Map<CreditBucketKind, Long> out = new EnumMap<>(CreditBucketKind.class);
                    rows.forEach(r -> out.put(CreditBucketKind.valueOf(r.getString(0)), r.getLong(1)));
                    return out;
                });
    }

    private static Terms terms(Row r) {
        var overage = new Overage(Overage.Mode.valueOf(r.getString("overage_mode")), r.getLong("overage_unit_price_minor"),
                r.getLong("overage_unit_credits"), r.getString("overage_currency") == null || r.getString("overage_currency").isEmpty() ? null
                : r.getString("overage_currency"));
        var start = r.getOffsetDateTime("period_start");
        var end = r.getOffsetDateTime("period_end");
        String credit = r.getString("credit_period");
        SubscriptionPeriod period = start == null || end == null ? null : new SubscriptionPeriod(start.toInstant(), end.toInstant(),
                r.getLong("credits_per_period"), credit == null ? BillingInterval.MONTH : BillingInterval.valueOf(credit));
        return new Terms(overage, r.getLong("daily_credits"), r.getLocalDate("daily_day"), period);
    }
}
