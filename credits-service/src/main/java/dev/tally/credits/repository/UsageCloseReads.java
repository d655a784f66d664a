package dev.tally.credits.repository;

import dev.tally.credits.domain.UsageSoFar;
import dev.tally.credits.entity.UsageCloseEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** The reads of usage closes (Panache entity {@link UsageCloseEntity}). */
@ApplicationScoped
public class UsageCloseReads implements PanacheRepositoryBase<UsageCloseEntity, UsageCloseEntity.Key> {

    /** The account's close of the period ending at {@code periodEnd}, if it was made (the latest, should a subscription have changed). */
    @WithSession
    public Uni<Optional<UsageSoFar.MadeClose>> closeOf(String accountId, Instant periodEnd) {
        return find("accountId = ?1 and periodEnd = ?2 order by closedAt desc", accountId, periodEnd).firstResult()
                .map(c -> Optional.ofNullable(c).map(found -> new UsageSoFar.MadeClose(found.periodEnd, found.overageCredits,
                        found.amountMinor, found.currency, found.closedAt)));
    }
}
