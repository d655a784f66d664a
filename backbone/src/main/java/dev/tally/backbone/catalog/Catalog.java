package dev.tally.backbone.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.plans.CreditPackSnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads the local catalog read model kept by {@link CatalogProjection}. Callers read it in the
 * middle of their transactions, so it has its own small pool ({@code tally.catalog.pool-size}):
 * a read from the service's pool while holding one of its connections deadlocks it once as many
 * transactions run as it has connections. That pool connects as the service's datasource does,
 * TLS included ({@link CatalogConnection}). A plan version never changes and is kept once read;
 * what changes with a publish (latest versions, what is for sale, packs) is kept for two seconds,
 * shared by concurrent readers, and dropped when this instance applies a catalog event (another
 * replica's copy is at most two seconds old). Every answer continues on its caller's Vert.x context
 * ({@link CallerContext}), whoever's read it shares, as a Hibernate Reactive session needs.
 */
@ApplicationScoped
public class Catalog {
    private static final Duration FRESH = Duration.ofSeconds(2);
    private final Pool pool;
    private final ObjectMapper json;
    private final Map<String, PlanSnapshot> versions = new ConcurrentHashMap<>();
    private final Map<String, Uni<?>> recent = new ConcurrentHashMap<>();

    public Catalog(io.vertx.mutiny.core.Vertx vertx, ObjectMapper json,
                   @ConfigProperty(name = "tally.catalog.pool-size", defaultValue = "4") int size) {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        PgConnectOptions connect = CatalogConnection.options(name -> config.getOptionalValue(name, String.class));
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size).setName("catalog")).connectingTo(connect)
                .using(vertx).build();
        this.json = json;
    }

    @PreDestroy
    void close() {
        pool.closeAndAwait();
    }

    /** Forgets what a publish may change; called when a catalog event is applied. */
    void forgetRecent() {
        recent.clear();
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> recent(String key, Supplier<Uni<T>> load) {
        Uni<T> shared = (Uni<T>) recent.computeIfAbsent(key, k -> load.get().memoize().atLeast(FRESH));
        return CallerContext.resume(shared.onFailure().invoke(() -> recent.remove(key, shared)));
    }

    /** The latest version of every plan still for sale, by rank. */
    public Uni<List<PlanSnapshot>> plansForSale() {
        return recent("for-sale", () -> pool.query("SELECT v.snapshot::text FROM catalog_plan p JOIN catalog_plan_version v "
                        + "ON v.code = p.code AND v.version = p.latest_version WHERE NOT p.retired")
                .execute()
                .map(rows -> {
                    List<PlanSnapshot> plans = new ArrayList<>();
                    rows.forEach(r -> plans.add(decode(r, PlanSnapshot.class)));
                    plans.sort(Comparator.comparingInt(PlanSnapshot::rank));
                    return List.copyOf(plans);
                }));
    }

    /** The latest version of a plan, sold or retired. */
    public Uni<Optional<PlanSnapshot>> latest(String code) {
        return recent("latest:" + code, () -> pool.preparedQuery("SELECT v.snapshot::text FROM catalog_plan p JOIN catalog_plan_version v "
                        + "ON v.code = p.code AND v.version = p.latest_version WHERE p.code = $1")
                .execute(Tuple.of(code))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(decode(rows.iterator().next(), PlanSnapshot.class))));
    }

    /** One exact version: what a subscriber on it bought. */
    public Uni<Optional<PlanSnapshot>> version(String code, int version) {
        PlanSnapshot known = versions.get(code + ":" + version);
        if (known != null) {
            return Uni.createFrom().item(Optional.of(known));
        }
        return CallerContext.resume(pool.preparedQuery("SELECT snapshot::text FROM catalog_plan_version WHERE code = $1 AND version = $2")
                .execute(Tuple.of(code, version))
                .map(rows -> rows.size() == 0 ? Optional.<PlanSnapshot>empty() : Optional.of(decode(rows.iterator().next(), PlanSnapshot.class)))
                .invoke(found -> found.ifPresent(plan -> versions.put(code + ":" + version, plan))));
    }

    /** Every version of a plan this service has received, oldest first. */
    public Uni<List<PlanSnapshot>> versions(String code) {
        return CallerContext.resume(pool.preparedQuery("SELECT snapshot::text FROM catalog_plan_version WHERE code = $1 ORDER BY version")
                .execute(Tuple.of(code))
                .map(rows -> {
                    List<PlanSnapshot> versions = new ArrayList<>();
                    rows.forEach(r -> versions.add(decode(r, PlanSnapshot.class)));
                    return versions;
                }));
    }

    public Uni<Optional<PlanSnapshot>> defaultFreePlan() {
        return plansForSale().map(plans -> plans.stream().filter(PlanSnapshot::defaultFree).findFirst());
    }

    public Uni<Optional<CreditPackSnapshot>> creditPack(String code) {
        return recent("pack:" + code, () -> pool.preparedQuery("SELECT snapshot::text FROM catalog_credit_pack WHERE code = $1")
                .execute(Tuple.of(code))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(decode(rows.iterator().next(), CreditPackSnapshot.class))));
    }

    private <T> T decode(Row row, Class<T> type) {
        try {
            return json.readValue(row.getString(0), type);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable catalog row", e);
        }
    }
}
