package dev.tally.credits.repository;

import dev.tally.credits.entity.CreditHoldEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The reads of credit holds (Panache entity {@link CreditHoldEntity}). */
@ApplicationScoped
public class HoldReads implements PanacheRepositoryBase<CreditHoldEntity, UUID> {

    /** The account's open holds not past their expiry at {@code now}, oldest first. */
    @WithSession
    public Uni<List<CreditHoldEntity>> open(String accountId, Instant now) {
        return list("accountId = ?1 and status = 'OPEN' and expiresAt > ?2 order by createdAt", accountId, now);
    }
}
