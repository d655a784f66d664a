package dev.tally.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.backbone.tx.Transactions;
import dev.tally.plans.domain.DemoCatalog;
import dev.tally.plans.domain.PlanDraft;
import dev.tally.plans.repository.PlanRepository;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The plan repository on Panache: a draft, its published versions, each kept as published. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class PlanRepositoryTest {
    @Inject
    PlanRepository plans;
    @Inject
    Transactions transactions;

    @Test
    @RunOnVertxContext
    void aPublishedVersionStaysAsPublishedWhenTheNextIsPublishedAndTheDraftIsUsedUp(UniAsserter asserter) {
        PlanDraft demo = DemoCatalog.plans().get(1);
        String code = "repo-" + System.nanoTime();
        PlanDraft draft = new PlanDraft(code, demo.name(), demo.description(), 900 + (int) (System.nanoTime() % 90), demo.selfServe(),
                false, demo.prices(), demo.creditsPerPeriod(), demo.creditPeriod(), demo.dailyCredits(), demo.seatsIncluded(),
                demo.features(), demo.overage(), demo.billingMode());
        Instant first = Instant.parse("2030-01-01T00:00:00Z");
        asserter.assertEquals(() -> transactions.inSession(tx -> plans.create(draft, first)), true);
        asserter.assertEquals(() -> transactions.inSession(tx -> plans.create(draft, first)), false);
        asserter.execute(() -> transactions.inSession(tx -> plans.publish(draft.publishAs(1, first))));
        asserter.assertEquals(() -> transactions.inSession(tx -> plans.lock(code)).map(r -> r.orElseThrow().status() + " "
                + r.get().latestVersion() + " " + r.get().draft()), "PUBLISHED 1 null");
        asserter.execute(() -> transactions.inSession(tx -> plans.saveDraft(draft, first.plusSeconds(60))
                .chain(() -> plans.publish(draft.publishAs(2, first.plusSeconds(120))))));
        asserter.assertEquals(() -> plans.versions(code).map(v -> v.stream().map(p -> p.version() + "@" + p.publishedAt()).toList()),
                java.util.List.of("1@2030-01-01T00:00:00Z", "2@2030-01-01T00:02:00Z"));
        asserter.assertEquals(() -> plans.version(code, 1).map(v -> v.orElseThrow().publishedAt()), first);
        asserter.assertEquals(() -> plans.latest(code).map(v -> v.orElseThrow().version()), 2);
    }
}
