package dev.tally.credits.domain;

import dev.tally.contracts.credits.CreditBucketKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** The daily credits (docs/rules.md, Credits): granted for the UTC day on the account's first touch of it, through its {@link AccountLedger}. */
final class DailyCredits {
    private DailyCredits() {
    }

    /** Whether the daily credits are due their reset: the account's first touch on a new UTC day. */
    static boolean isNewDay(AccountTerms terms, Instant now) {
        return !LocalDate.ofInstant(now, ZoneOffset.UTC).equals(terms.dailyDay()) && !(terms.dailyCredits() == 0 && terms.dailyDay() == null);
    }

    /**
     * The lazy daily reset: on the first touch of a new UTC day the due buckets expire, what is left
     * of an earlier day's credits (a day not over yet: the dev clock moved back) expires now, and the
     * day's credits are granted until the day ends. Keyed by day, so a day is granted once and days
     * nobody used are never granted after the fact.
     */
    static void resetIfNewDay(AccountLedger ledger) {
        AccountTerms terms = ledger.terms();
        if (!isNewDay(terms, ledger.now())) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(ledger.now(), ZoneOffset.UTC);
        ledger.expireDue();
        for (BucketBalance b : List.copyOf(ledger.live())) {
            if (b.kind() == CreditBucketKind.DAILY) {
                ledger.record().take(b.bucketId(), b.remaining(), EntryKind.EXPIRE, AccountLedger.EARLIER_DAY, "", null);
            }
        }
        ledger.grant(CreditBucketKind.DAILY, terms.dailyCredits(), today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                "daily credits " + today, "daily:" + today, false);
        ledger.terms(ledger.terms().withDailyDay(terms.dailyCredits() > 0 ? today : null));
    }
}
