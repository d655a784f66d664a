package dev.tally.plans.repository;

import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.plans.entity.CreditPackEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Credit packs (top-ups) for sale or retired (Panache entity {@link CreditPackEntity}). */
@ApplicationScoped
public class CreditPackRepository implements PanacheRepositoryBase<CreditPackEntity, String> {
    private final Json json;

    public CreditPackRepository(Json json) {
        this.json = json;
    }

    /** The packs for sale, fewest credits first. */
    @WithSession
    public Uni<List<CreditPackSnapshot>> forSale() {
        return list("status", "PUBLISHED").map(packs -> packs.stream().map(p -> json.read(p.snapshot, CreditPackSnapshot.class))
                .sorted(java.util.Comparator.comparingLong(CreditPackSnapshot::credits)).toList());
    }

    /** Saves the pack as it now stands; false when {@code onlyIfNew} and the code exists. Run under the catalog lock. */
    public Uni<Boolean> save(CreditPackSnapshot pack, boolean onlyIfNew, Instant now) {
        return findById(pack.code()).flatMap(found -> {
            if (found != null && onlyIfNew) {
                return Uni.createFrom().item(false);
            }
            CreditPackEntity entity = found != null ? found : new CreditPackEntity();
            entity.code = pack.code();
            entity.status = pack.status().name();
            entity.snapshot = json.write(pack);
            entity.updatedAt = now;
            return (found != null ? Uni.createFrom().item(entity) : persist(entity)).replaceWith(true);
        });
    }

    /** The pack, locked for the rest of the transaction. */
    public Uni<Optional<CreditPackSnapshot>> find(String code) {
        return findById(code, LockModeType.PESSIMISTIC_WRITE)
                .map(p -> p == null ? Optional.empty() : Optional.of(json.read(p.snapshot, CreditPackSnapshot.class)));
    }
}
