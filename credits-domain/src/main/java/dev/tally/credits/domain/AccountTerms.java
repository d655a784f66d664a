package dev.tally.credits.domain;

import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.Rollover;
import java.time.LocalDate;

/**
 * An account's credit terms as its latest subscription event set them, and the UTC day of its live
 * daily credits ({@code dailyDay}, null when it has none). {@code rollover} is the plan's (null: none);
 * {@code creditsPerPeriod} the grant of the period in force (0 before any subscription event).
 */
public record AccountTerms(String accountId, Overage overage, long dailyCredits, LocalDate dailyDay, long subscriptionRevision,
                           Rollover rollover, long creditsPerPeriod) {

    /** Terms without rollover or a period's grant. */
    public AccountTerms(String accountId, Overage overage, long dailyCredits, LocalDate dailyDay, long subscriptionRevision) {
        this(accountId, overage, dailyCredits, dailyDay, subscriptionRevision, null, 0);
    }

    public AccountTerms withTerms(Overage overage, long dailyCredits, long revision) {
        return withTerms(overage, dailyCredits, rollover, revision);
    }

    public AccountTerms withTerms(Overage overage, long dailyCredits, Rollover rollover, long revision) {
        return new AccountTerms(accountId, overage, dailyCredits, dailyDay, revision, rollover, creditsPerPeriod);
    }

    public AccountTerms withDailyDay(LocalDate day) {
        return new AccountTerms(accountId, overage, dailyCredits, day, subscriptionRevision, rollover, creditsPerPeriod);
    }
}
