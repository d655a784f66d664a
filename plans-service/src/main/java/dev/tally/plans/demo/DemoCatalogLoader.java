package dev.tally.plans.demo;

import dev.tally.plans.domain.CreditPackDraft;
import dev.tally.plans.domain.DemoCatalog;
import dev.tally.plans.domain.PlanDraft;
import dev.tally.plans.repository.PlanRepository;
import dev.tally.plans.service.CatalogService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import dev.tally.backbone.tx.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the demo catalog on start when {@code tally.demo-catalog=true} (the local stack; never in
 * production). Plans that exist are left alone, so loading twice changes nothing.
 */
@ApplicationScoped
public class DemoCatalogLoader {
    private static final Logger LOG = Logger.getLogger(DemoCatalogLoader.class);

    void onStart(@Observes StartupEvent event, @ConfigProperty(name = "tally.demo-catalog") boolean enabled,
                 Transactions transactions, PlanRepository plans, CatalogService catalog) {
        if (!enabled) {
            return;
        }
        int loaded = 0;
        for (PlanDraft draft : DemoCatalog.plans()) {
            boolean created = transactions.inSession(tx -> plans.lock(draft.code()).flatMap(found -> found.isPresent()
                    ? Uni.createFrom().item(false)
                    : catalog.createPlan(tx, draft).flatMap(row -> catalog.publish(tx, draft.code())).replaceWith(true)))
                    .await().atMost(Duration.ofSeconds(30));
            loaded += created ? 1 : 0;
        }
        for (CreditPackDraft pack : DemoCatalog.creditPacks()) {
            transactions.inSession(tx -> catalog.publishPack(tx, pack, true)).await().atMost(Duration.ofSeconds(30));
        }
        LOG.infof("demo catalog: %d plans published now, %d were there already", loaded, DemoCatalog.plans().size() - loaded);
    }
}
