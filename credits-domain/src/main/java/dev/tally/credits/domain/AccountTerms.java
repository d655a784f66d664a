package dev.tally.credits.domain;

import dev.tally.contracts.plans.Overage;
import java.time.LocalDate;

/**
 * An account's credit terms as its latest subscription event set them, and the UTC day of its live
 * daily credits ({@code dailyDay}, null when it has none).
 */
public record AccountTerms(String accountId, Overage overage, long dailyCredits, LocalDate dailyDay, long subscriptionRevision) {

    public AccountTerms withTerms(Overage overage, long dailyCredits, long revision) {
        return new AccountTerms(accountId, overage, dailyCredits, dailyDay, revision);
    }

    public AccountTerms withDailyDay(LocalDate day) {
        return new AccountTerms(accountId, overage, dailyCredits, day, subscriptionRevision);
    }
}
