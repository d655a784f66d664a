package dev.tally.credits.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.contracts.credits.CreditBucketKind;
import dev.tally.credits.domain.BucketBalance;
import dev.tally.credits.domain.Spend;
import dev.tally.credits.repository.AccountTerms;
import dev.tally.credits.repository.LedgerChanges;
import dev.tally.credits.repository.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.time.ZoneOffset;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Daily free credits, reset lazily: the first time an account is touched on a new UTC day, the
 * day's grant is added (what was left of the old day expired at its end: {@link Expiries}). Keyed by
 * day on the locked account row, so a day is granted once, and days nobody used are never granted
 * after the fact.
 */
@ApplicationScoped
public class DailyCredits {
    private static final String EARLIER_DAY = "daily credits of an earlier day";
    private final LedgerRepository ledger;
    private final Expiries expiries;
    private final TallyClock clock;

    public DailyCredits(LedgerRepository ledger, Expiries expiries, TallyClock clock) {
        this.ledger = ledger;
        this.expiries = expiries;
        this.clock = clock;
    }

    /** Whether the account's daily credits are due a reset (its first touch on a new UTC day). */
    public boolean isNewDay(AccountTerms terms) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return !today.equals(terms.dailyDay()) && !(terms.dailyCredits() == 0 && terms.dailyDay() == null);
    }

    public Uni<Void> resetIfNewDay(SqlConnection tx, AccountTerms terms) {
        if (!isNewDay(terms)) {
            return Uni.createFrom().voidItem();
        }
        var now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return expireDaily(tx, terms.accountId(), EARLIER_DAY)
                .flatMap(x -> ledger.grant(tx, terms.accountId(), CreditBucketKind.DAILY, terms.dailyCredits(),
                        tomorrow(today), reason(today), reference(today), now))
                .flatMap(x -> ledger.setDailyDay(tx, terms.accountId(), terms.dailyCredits() > 0 ? today : null));
    }

    /** The same reset among a batch's in-memory ledger changes. */
    public void resetIfNewDay(LedgerChanges changes, String accountId) {
        AccountTerms terms = changes.terms(accountId);
        if (!isNewDay(terms)) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        expiries.expireDue(changes, accountId);
        changes.take(accountId, dailyLeft(changes.liveBuckets(accountId)), "EXPIRE", EARLIER_DAY, null);
        changes.grant(accountId, CreditBucketKind.DAILY, terms.dailyCredits(), tomorrow(today), reason(today), reference(today));
        changes.setDailyDay(accountId, terms.dailyCredits() > 0 ? today : null);
    }

    /**
     * The earlier day's credits expire at its end (an entry dated then, with every other due bucket);
     * what is left of a day not over yet (the dev clock moved back) expires now.
     */
    private Uni<Void> expireDaily(SqlConnection tx, String accountId, String reason) {
        Instant now = clock.instant();
        return ledger.liveBuckets(tx, accountId).flatMap(live -> expiries.expireDue(tx, accountId, live, now))
                .flatMap(left -> ledger.take(tx, accountId, dailyLeft(left), "EXPIRE", reason, null, now));
    }

    /** Takes of everything left in the account's DAILY buckets. */
    private static List<Spend.Take> dailyLeft(List<BucketBalance> buckets) {
        return buckets.stream().filter(b -> b.kind() == CreditBucketKind.DAILY)
                .map(b -> new Spend.Take(b.bucketId(), b.kind(), b.remaining())).toList();
    }

    private static Instant tomorrow(LocalDate today) {
        return today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static String reason(LocalDate day) {
        return "daily credits " + day;
    }

    private static String reference(LocalDate day) {
        return "daily:" + day;
    }
}
