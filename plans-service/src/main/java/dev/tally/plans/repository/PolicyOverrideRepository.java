package dev.tally.plans.repository;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.plans.domain.PolicyOverride;
import dev.tally.plans.entity.PolicyOverrideEntity;
import dev.tally.plans.entity.PolicyVersionEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Admin overrides of the change policy and the policy's version (Panache entities). */
@ApplicationScoped
public class PolicyOverrideRepository implements PanacheRepositoryBase<PolicyOverrideEntity, Long> {

    @WithSession
    public Uni<List<PolicyOverride>> all() {
        return listAll(Sort.by("id")).map(rows -> rows.stream().map(PolicyOverrideRepository::toOverride).toList());
    }

    /**
     * Moves the policy's version up by one, or to 1 when {@code onlyFirst} and it is still 0 (not
     * announced); empty when there was nothing to do. Holds the version row's lock (FOR UPDATE) to
     * the commit, so edits of the policy are serial and their versions in commit order.
     */
    public Uni<Optional<Long>> nextVersion(boolean onlyFirst) {
        return getSession().flatMap(s -> s.find(PolicyVersionEntity.class, Boolean.TRUE, LockModeType.PESSIMISTIC_WRITE)).map(row -> {
            if (onlyFirst && row.version != 0) {
                return Optional.empty();
            }
            row.version = onlyFirst ? 1 : row.version + 1;
            return Optional.of(row.version);
        });
    }

    /** Replaces the override for the same pair or direction, in the caller's session transaction. */
    public Uni<Void> put(PolicyOverride o) {
        String direction = o.direction() == null ? null : o.direction().name();
        Uni<Long> removed = o.isForPair()
                ? delete("fromCode = ?1 and toCode = ?2 and direction is null", o.fromCode(), o.toCode())
                : delete("direction = ?1", direction);
        PolicyOverrideEntity row = new PolicyOverrideEntity();
        row.fromCode = o.fromCode();
        row.toCode = o.toCode();
        row.direction = direction;
        row.allowed = o.allowedTimings().stream().map(Enum::name).sorted().toArray(String[]::new);
        row.defaultTiming = o.defaultTiming().name();
        return removed.chain(() -> persist(row)).replaceWithVoid();
    }

    private static PolicyOverride toOverride(PolicyOverrideEntity r) {
        return new PolicyOverride(r.fromCode, r.toCode, r.direction == null ? null : ChangeDirection.valueOf(r.direction),
                Arrays.stream(r.allowed).map(ChangeTiming::valueOf).collect(Collectors.toSet()), ChangeTiming.valueOf(r.defaultTiming));
    }
}
