package dev.tally.credits.repository;

import dev.tally.contracts.plans.Overage;
import java.time.LocalDate;

/** An account's credit terms as its latest subscription event set them. */
public record AccountTerms(String accountId, Overage overage, long dailyCredits, LocalDate dailyDay, long subscriptionRevision) {
}
