package dev.tally.plans.repository;

import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.PlanDraft;
import dev.tally.plans.entity.PlanEntity;
import dev.tally.plans.entity.PlanVersionEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans, their drafts and their immutable published versions (Panache entities {@link PlanEntity},
 * {@link PlanVersionEntity}). Writes run in the caller's session transaction; reads open a session
 * when none is open.
 */
@ApplicationScoped
public class PlanRepository implements PanacheRepositoryBase<PlanEntity, String> {
    private static final String LATEST = "select v.snapshot, p.status from PlanEntity p join PlanVersionEntity v "
            + "on v.code = p.code and v.version = p.latestVersion ";

    private final Json json;

    public PlanRepository(Json json) {
        this.json = json;
    }

    /** A plan's row: its status, latest published version (0 for none) and pending draft. */
    public record PlanRow(String code, String status, int latestVersion, PlanDraft draft) {
    }

    @WithSession
    public Uni<List<PlanSnapshot>> forSale() {
        return getSession().flatMap(s -> s.createSelectionQuery(LATEST + "where p.status = 'PUBLISHED' order by v.rank", Object[].class)
                .getResultList()).map(this::snapshots);
    }

    @WithSession
    public Uni<Optional<PlanSnapshot>> latest(String code) {
        return getSession().flatMap(s -> s.createSelectionQuery(LATEST + "where p.code = ?1", Object[].class).setParameter(1, code)
                .getResultList()).map(rows -> first(snapshots(rows)));
    }

    @WithSession
    public Uni<Optional<PlanSnapshot>> version(String code, int version) {
        return getSession().flatMap(s -> s.find(PlanVersionEntity.class, new PlanVersionEntity.Key(code, version)))
                .map(v -> v == null ? Optional.empty() : Optional.of(json.read(v.snapshot, PlanSnapshot.class)));
    }

    @WithSession
    public Uni<List<PlanSnapshot>> versions(String code) {
        return getSession().flatMap(s -> s.createSelectionQuery("from PlanVersionEntity where code = ?1 order by version", PlanVersionEntity.class)
                .setParameter(1, code).getResultList()).map(list -> list.stream().map(v -> json.read(v.snapshot, PlanSnapshot.class)).toList());
    }

    /** The plan's row, locked (FOR UPDATE) for the rest of the transaction so versions are numbered one at a time. */
    public Uni<Optional<PlanRow>> lock(String code) {
        return findById(code, LockModeType.PESSIMISTIC_WRITE).map(p -> p == null ? Optional.empty()
                : Optional.of(new PlanRow(code, p.status, p.latestVersion, p.draft == null ? null : json.read(p.draft, PlanDraft.class))));
    }

    /** Adds a new plan with its first draft; false when the code is taken. Run under the catalog lock. */
    public Uni<Boolean> create(PlanDraft draft, Instant now) {
        return findById(draft.code()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            PlanEntity plan = new PlanEntity();
            plan.code = draft.code();
            plan.status = "DRAFT";
            plan.draft = json.write(draft);
            plan.updatedAt = now;
            return persist(plan).replaceWith(true);
        });
    }

    public Uni<Void> saveDraft(PlanDraft draft, Instant now) {
        return findById(draft.code()).invoke(plan -> {
            plan.draft = json.write(draft);
            plan.updatedAt = now;
        }).replaceWithVoid();
    }

    /** Adds the version (never changed afterwards) and makes it the plan's latest; the draft is used up. */
    public Uni<Void> publish(PlanSnapshot version) {
        PlanVersionEntity v = new PlanVersionEntity();
        v.code = version.code();
        v.version = version.version();
        v.rank = version.rank();
        v.defaultFree = version.defaultFree();
        v.snapshot = json.write(version);
        v.publishedAt = version.publishedAt();
        v.billingMode = version.billingMode().name();
        return getSession().flatMap(s -> s.persist(v)).chain(() -> findById(version.code())).invoke(plan -> {
            plan.status = "PUBLISHED";
            plan.latestVersion = version.version();
            plan.draft = null;
            plan.updatedAt = version.publishedAt();
        }).replaceWithVoid();
    }

    public Uni<Void> retire(String code, Instant now) {
        return findById(code).invoke(plan -> {
            plan.status = "RETIRED";
            plan.updatedAt = now;
        }).replaceWithVoid();
    }

    private List<PlanSnapshot> snapshots(List<Object[]> rows) {
        List<PlanSnapshot> out = new ArrayList<>();
        rows.forEach(r -> {
            PlanSnapshot stored = json.read((String) r[0], PlanSnapshot.class);
            out.add("RETIRED".equals(r[1]) ? retiredCopy(stored) : stored);
        });
        return out;
    }

    /** The snapshot as it is announced once its plan is retired: the same terms, status RETIRED. */
    public static PlanSnapshot retiredCopy(PlanSnapshot p) {
        return new PlanSnapshot(p.code(), p.version(), p.name(), p.description(), p.rank(), p.selfServe(), p.defaultFree(),
                p.prices(), p.creditsPerPeriod(), p.creditPeriod(), p.dailyCredits(), p.seatsIncluded(), p.features(),
                p.overage(), PlanSnapshot.PlanStatus.RETIRED, p.publishedAt(), p.billingMode());
    }

    private static <T> Optional<T> first(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }
}
