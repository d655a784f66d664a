package dev.tally.subscriptions.service;

import dev.tally.backbone.catalog.Catalog;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.contracts.plans.PlanSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Plan versions from the catalog read model, for plans a subscription already refers to: if one has
 * not reached this service yet (the catalog topic is behind), the caller is told to retry (503).
 * The catalog answers on the caller's Vert.x context, as a Hibernate session needs (backbone's Catalog).
 */
@ApplicationScoped
public class PlanLookup {
    private final Catalog catalog;

    public PlanLookup(Catalog catalog) {
        this.catalog = catalog;
    }

    public Uni<PlanSnapshot> version(String code, int version) {
        return catalog.version(code, version)
                .map(found -> found.orElseThrow(() -> notReady("Plan " + code + " v" + version)));
    }

    public Uni<PlanSnapshot> defaultFree() {
        return catalog.defaultFreePlan().map(found -> found.orElseThrow(() -> notReady("The default free plan")));
    }

    private static ProblemException notReady(String what) {
        return new ProblemException(503, "catalog_not_ready", what + " has not reached this service yet; retry shortly.");
    }
}
