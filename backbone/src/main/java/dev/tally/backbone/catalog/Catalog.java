package dev.tally.backbone.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the local catalog read model kept by {@link CatalogProjection}. */
@ApplicationScoped
public class Catalog {
    private final Pool pool;
    private final ObjectMapper json;

    public Catalog(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The latest version of every plan still for sale, by rank. */
    public Uni<List<PlanSnapshot>> plansForSale() {
        return pool.query("SELECT v.snapshot::text FROM catalog_plan p JOIN catalog_plan_version v "
                        + "ON v.code = p.code AND v.version = p.latest_version WHERE NOT p.retired")
                .execute()
                .map(rows -> {
                    List<PlanSnapshot> plans = new ArrayList<>();
                    rows.forEach(r -> plans.add(decode(r, PlanSnapshot.class)));
                    plans.sort(Comparator.comparingInt(PlanSnapshot::rank));
                    return plans;
                });
    }

    /** The latest version of a plan, sold or retired. */
    public Uni<Optional<PlanSnapshot>> latest(String code) {
        return pool.preparedQuery("SELECT v.snapshot::text FROM catalog_plan p JOIN catalog_plan_version v "
                        + "ON v.code = p.code AND v.version = p.latest_version WHERE p.code = $1")
                .execute(Tuple.of(code))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(decode(rows.iterator().next(), PlanSnapshot.class)));
    }

    /** One exact version: what a subscriber on it bought. */
    public Uni<Optional<PlanSnapshot>> version(String code, int version) {
        return pool.preparedQuery("SELECT snapshot::text FROM catalog_plan_version WHERE code = $1 AND version = $2")
                .execute(Tuple.of(code, version))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(decode(rows.iterator().next(), PlanSnapshot.class)));
    }

    /** Every version of a plan this service has received, oldest first. */
    public Uni<List<PlanSnapshot>> versions(String code) {
        return pool.preparedQuery("SELECT snapshot::text FROM catalog_plan_version WHERE code = $1 ORDER BY version")
                .execute(Tuple.of(code))
                .map(rows -> {
                    List<PlanSnapshot> versions = new ArrayList<>();
                    rows.forEach(r -> versions.add(decode(r, PlanSnapshot.class)));
                    return versions;
                });
    }

    public Uni<Optional<PlanSnapshot>> defaultFreePlan() {
        return plansForSale().map(plans -> plans.stream().filter(PlanSnapshot::defaultFree).findFirst());
    }

    public Uni<Optional<CreditPackSnapshot>> creditPack(String code) {
        return pool.preparedQuery("SELECT snapshot::text FROM catalog_credit_pack WHERE code = $1")
                .execute(Tuple.of(code))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(decode(rows.iterator().next(), CreditPackSnapshot.class)));
    }

    private <T> T decode(Row row, Class<T> type) {
        try {
            return json.readValue(row.getString(0), type);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable catalog row", e);
        }
    }
}
