package dev.tally.plans.service;

import dev.tally.backbone.clock.TallyClock;
import dev.tally.backbone.outbox.Outbox;
import dev.tally.backbone.outbox.OutgoingEvent;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.CreditPackDraft;
import dev.tally.plans.domain.FieldError;
import dev.tally.plans.domain.PlanDraft;
import dev.tally.plans.domain.PlanRules;
import dev.tally.plans.repository.CreditPackRepository;
import dev.tally.plans.repository.PlanRepository;
import dev.tally.plans.repository.PlanRepository.PlanRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Changes to the catalog: drafts, publishing (a new immutable version, announced on the plans
 * topic in the same transaction), retiring, credit packs. Each method runs in the caller's session
 * transaction ({@link Tx}: the plans are Panache entities), so an Idempotency-Key response commits with it.
 */
@ApplicationScoped
public class CatalogService {
    private final PlanRepository plans;
    private final CreditPackRepository packs;
    private final Outbox outbox;
    private final TallyClock clock;

    public CatalogService(PlanRepository plans, CreditPackRepository packs, Outbox outbox, TallyClock clock) {
        this.plans = plans;
        this.packs = packs;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<PlanRow> createPlan(Tx tx, PlanDraft draft) {
        return validated(tx, draft)
                .flatMap(ok -> plans.create(draft, clock.instant()))
                .map(created -> {
                    if (!created) {
                        throw ProblemException.conflict("plan_exists", "Plan " + draft.code() + " exists; PUT its draft to make a new version.");
                    }
                    return new PlanRow(draft.code(), "DRAFT", 0, draft);
                });
    }

    public Uni<PlanRow> saveDraft(Tx tx, String code, PlanDraft draft) {
        if (!code.equals(draft.code())) {
            throw ProblemException.invalidField("code", "must be " + code + ", the plan in the path");
        }
        return existing(tx, code)
                .call(row -> validated(tx, draft))
                .call(row -> plans.saveDraft(draft, clock.instant()))
                .map(row -> new PlanRow(code, row.status(), row.latestVersion(), draft));
    }

    /** Publishes the plan's draft as its next version; the version never changes afterwards. */
    public Uni<PlanSnapshot> publish(Tx tx, String code) {
        return existing(tx, code).flatMap(row -> {
            if (row.draft() == null) {
                throw ProblemException.conflict("no_draft", "Plan " + code + " has no draft to publish.");
            }
            PlanSnapshot version = row.draft().publishAs(row.latestVersion() + 1, clock.instant());
            return validated(tx, row.draft())
                    .flatMap(ok -> plans.publish(version))
                    .flatMap(ok -> outbox.add(tx, OutgoingEvent.of(Events.PLAN_PUBLISHED, code, code, version, version.publishedAt())))
                    .replaceWith(version);
        });
    }

    /** Stops selling a plan; its versions keep resolving for their subscribers. */
    public Uni<PlanSnapshot> retire(Tx tx, String code) {
        return existing(tx, code).flatMap(row -> {
            if (!"PUBLISHED".equals(row.status())) {
                throw ProblemException.conflict("not_for_sale", "Plan " + code + " is " + row.status().toLowerCase() + ", not for sale.");
            }
            return plans.version(code, row.latestVersion()).map(v -> v.orElseThrow()).flatMap(latest -> {
                if (latest.defaultFree()) {
                    throw ProblemException.conflict("default_free_plan", "The default free plan cannot be retired.");
                }
                PlanSnapshot retired = PlanRepository.retiredCopy(latest);
                return plans.retire(code, clock.instant())
                        .flatMap(ok -> outbox.add(tx, OutgoingEvent.of(Events.PLAN_RETIRED, code, code, retired, clock.instant())))
                        .replaceWith(retired);
            });
        });
    }

    /**
     * Publishes a new credit pack. A pack is never changed in place (buyers paid for its terms): a code
     * that exists, for sale or retired, is 409 {@code credit_pack_exists}; to change a pack, retire it
     * and publish one under a new code. {@code skipIfExists} (the demo catalog at start-up) leaves an
     * existing pack as it is instead.
     */
    public Uni<CreditPackSnapshot> publishPack(Tx tx, CreditPackDraft draft, boolean skipIfExists) {
        List<FieldError> problems = draft.problems();
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        CreditPackSnapshot pack = draft.publish();
        return lockCatalog(tx).chain(() -> packs.save(pack, true, clock.instant()))
                .flatMap(saved -> {
                    if (saved) {
                        return announce(tx, pack);
                    }
                    if (skipIfExists) {
                        return Uni.createFrom().voidItem();
                    }
                    throw new ProblemException(Problem.of(409, "credit_pack_exists", "Credit pack " + draft.code()
                            + " exists and is never changed in place; retire it and publish a new code.",
                            List.of(new Problem.FieldError("code", "credit_pack_exists", "is taken by an existing pack"))));
                })
                .replaceWith(pack);
    }

    public Uni<CreditPackSnapshot> retirePack(Tx tx, String code) {
        return packs.find(code).flatMap(found -> {
            if (found.isEmpty()) {
                throw ProblemException.naming(404, "credit_pack_not_found", "No credit pack " + code + ".", "code");
            }
            CreditPackSnapshot p = found.get();
            CreditPackSnapshot retired = new CreditPackSnapshot(p.code(), p.name(), p.credits(), p.amountMinor(), p.currency(),
                    p.stripePriceId(), PlanSnapshot.PlanStatus.RETIRED);
            return packs.save(retired, false, clock.instant()).flatMap(x -> announce(tx, retired)).replaceWith(retired);
        });
    }

    private Uni<Void> announce(Tx tx, CreditPackSnapshot pack) {
        return outbox.add(tx, OutgoingEvent.of(Events.CREDIT_PACK_PUBLISHED, "pack:" + pack.code(), pack.code(), pack, clock.instant()));
    }

    private Uni<PlanRow> existing(Tx tx, String code) {
        return plans.lock(code).map(row -> row.orElseThrow(
                () -> ProblemException.naming(404, "plan_not_found", "No plan " + code + ".", "code")));
    }

    /**
     * The catalog-wide lock, to the commit: two admins cannot both take a rank, nor both create a
     * plan or a pack under one code (the second finds the first's).
     */
    private static Uni<Void> lockCatalog(Tx tx) {
        return tx.rows("SELECT 1 FROM pg_advisory_xact_lock(4242)").replaceWithVoid();
    }

    /** Validates against the catalog under the catalog-wide lock. */
    private Uni<Void> validated(Tx tx, PlanDraft draft) {
        return lockCatalog(tx).chain(plans::forSale).map(forSale -> {
            List<FieldError> problems = PlanRules.validate(draft, forSale);
            if (!problems.isEmpty()) {
                throw invalid(problems);
            }
            return null;
        }).replaceWithVoid();
    }

    static ProblemException invalid(List<FieldError> problems) {
        return new ProblemException(Problem.invalidFields(problems.stream()
                .map(e -> new Problem.FieldError(e.field(), e.code(), e.message())).toList()));
    }
}
