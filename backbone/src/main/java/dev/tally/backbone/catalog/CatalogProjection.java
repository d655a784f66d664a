package dev.tally.backbone.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;

/**
 * Keeps a service's local read model of the plan catalog from plans-topic events. Each version is
 * stored once (a repeat changes nothing); the latest version only moves forward, so a late older
 * snapshot never hides a newer one. Services that keep the catalog add {@code db/catalog} to their
 * Flyway locations and call {@link #apply} from their plans-topic consumer, through the Inbox.
 * A service's {@link CatalogAddition}s keep what only it reads (subscriptions-service: the change policy).
 */
@ApplicationScoped
public class CatalogProjection {
    private final ObjectMapper json;
    private final Catalog catalog;
    private final List<CatalogAddition> additions;

    public CatalogProjection(ObjectMapper json, Catalog catalog, Instance<CatalogAddition> additions) {
        this.json = json;
        this.catalog = catalog;
        this.additions = additions.stream().toList();
    }

    /** Applies a plans-topic event in the inbox's connection transaction {@code tx}. */
    public Uni<Void> apply(Tx tx, InboundEvent event) {
        Uni<Void> applied = shared(tx.connection(), event);
        for (CatalogAddition addition : additions) {
            applied = applied.flatMap(x -> addition.apply(tx, event));
        }
        return applied;
    }

    /** After the event's transaction: what was cached before it committed may be stale. */
    void committed() {
        catalog.forgetRecent();
        additions.forEach(CatalogAddition::committed);
    }

    private Uni<Void> shared(SqlConnection tx, InboundEvent event) {
        catalog.forgetRecent();
        if (event.is(Events.PLAN_PUBLISHED)) {
            return planPublished(tx, event.payload(Events.PLAN_PUBLISHED));
        }
        if (event.is(Events.PLAN_RETIRED)) {
            return planPublished(tx, event.payload(Events.PLAN_RETIRED));
        }
        if (event.is(Events.CREDIT_PACK_PUBLISHED)) {
            return packPublished(tx, event.payload(Events.CREDIT_PACK_PUBLISHED));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> planPublished(SqlConnection tx, PlanSnapshot plan) {
        boolean retired = plan.status() == PlanSnapshot.PlanStatus.RETIRED;
        return tx.preparedQuery("INSERT INTO catalog_plan_version (code, version, snapshot) VALUES ($1, $2, $3::text::jsonb) "
                        + "ON CONFLICT (code, version) DO NOTHING") // a published version never changes
                .execute(Tuple.of(plan.code(), plan.version(), encode(plan)))
                .flatMap(x -> tx.preparedQuery("INSERT INTO catalog_plan (code, latest_version, retired) VALUES ($1, $2, $3) "
                                + "ON CONFLICT (code) DO UPDATE SET latest_version = excluded.latest_version, retired = excluded.retired "
                                + "WHERE catalog_plan.latest_version <= excluded.latest_version")
                        .execute(Tuple.of(plan.code(), plan.version(), retired)))
                .replaceWithVoid();
    }

    private Uni<Void> packPublished(SqlConnection tx, CreditPackSnapshot pack) {
        return tx.preparedQuery("INSERT INTO catalog_credit_pack (code, snapshot) VALUES ($1, $2::text::jsonb) "
                        + "ON CONFLICT (code) DO UPDATE SET snapshot = excluded.snapshot")
                .execute(Tuple.of(pack.code(), encode(pack))).replaceWithVoid();
    }

    private String encode(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
