package dev.tally.plans.repository;

import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.PlanDraft;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plans, their drafts and their immutable published versions. Queries only. */
@ApplicationScoped
public class PlanRepository {
    private static final String LATEST = "SELECT v.snapshot::text, p.status FROM plan p JOIN plan_version v "
            + "ON v.code = p.code AND v.version = p.latest_version ";

    private final Pool pool;
    private final Json json;

    public PlanRepository(Pool pool, Json json) {
        this.pool = pool;
        this.json = json;
    }

    /** A plan's row: its status, latest published version (0 for none) and pending draft. */
    public record PlanRow(String code, String status, int latestVersion, PlanDraft draft) {
    }

    public Uni<List<PlanSnapshot>> forSale(SqlClient client) {
        return client.query(LATEST + "WHERE p.status = 'PUBLISHED' ORDER BY v.rank").execute().map(this::snapshots);
    }

    public Uni<List<PlanSnapshot>> forSale() {
        return forSale(pool);
    }

    public Uni<Optional<PlanSnapshot>> latest(String code) {
        return pool.preparedQuery(LATEST + "WHERE p.code = $1").execute(Tuple.of(code)).map(rows -> first(snapshots(rows)));
    }

    public Uni<Optional<PlanSnapshot>> version(String code, int version) {
        return pool.preparedQuery("SELECT snapshot::text FROM plan_version WHERE code = $1 AND version = $2")
                .execute(Tuple.of(code, version)).map(rows -> first(snapshots(rows)));
    }

    public Uni<List<PlanSnapshot>> versions(String code) {
        return pool.preparedQuery("SELECT snapshot::text FROM plan_version WHERE code = $1 ORDER BY version")
                .execute(Tuple.of(code)).map(this::snapshots);
    }

    /** The plan's row, locked for the rest of the transaction so versions are numbered one at a time. */
    public Uni<Optional<PlanRow>> lock(SqlConnection tx, String code) {
        return tx.preparedQuery("SELECT code, status, latest_version, draft::text FROM plan WHERE code = $1 FOR UPDATE")
                .execute(Tuple.of(code))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    String draft = r.getString("draft");
                    return Optional.of(new PlanRow(code, r.getString("status"), r.getInteger("latest_version"),
                            draft == null ? null : json.read(draft, PlanDraft.class)));
                });
    }

    /** Inserts a new plan with its first draft; false when the code is taken. */
    public Uni<Boolean> create(SqlConnection tx, PlanDraft draft, Instant now) {
        return tx.preparedQuery("INSERT INTO plan (code, status, draft, updated_at) VALUES ($1, 'DRAFT', $2::text::jsonb, $3) "
                        + "ON CONFLICT (code) DO NOTHING")
                .execute(Tuple.of(draft.code(), json.write(draft), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> saveDraft(SqlConnection tx, PlanDraft draft, Instant now) {
        return tx.preparedQuery("UPDATE plan SET draft = $2::text::jsonb, updated_at = $3 WHERE code = $1")
                .execute(Tuple.of(draft.code(), json.write(draft), now.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Void> publish(SqlConnection tx, PlanSnapshot version) {
        return tx.preparedQuery("INSERT INTO plan_version (code, version, rank, default_free, snapshot, published_at, billing_mode) "
                        + "VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7)")
                .execute(Tuple.from(List.of(version.code(), version.version(), version.rank(), version.defaultFree(),
                        json.write(version), version.publishedAt().atOffset(ZoneOffset.UTC), version.billingMode().name())))
                .flatMap(x -> tx.preparedQuery("UPDATE plan SET status = 'PUBLISHED', latest_version = $2, draft = NULL, "
                        + "updated_at = $3 WHERE code = $1")
                        .execute(Tuple.of(version.code(), version.version(), version.publishedAt().atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    public Uni<Void> retire(SqlConnection tx, String code, Instant now) {
        return tx.preparedQuery("UPDATE plan SET status = 'RETIRED', updated_at = $2 WHERE code = $1")
                .execute(Tuple.of(code, now.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    private List<PlanSnapshot> snapshots(RowSet<Row> rows) {
        List<PlanSnapshot> out = new ArrayList<>();
        rows.forEach(r -> {
            PlanSnapshot stored = json.read(r.getString(0), PlanSnapshot.class);
            boolean retired = r.size() > 1 && "RETIRED".equals(r.getString(1));
            out.add(retired ? retiredCopy(stored) : stored);
        });
        return out;
    }

    /** The snapshot as it is announced once its plan is retired: the same terms, status RETIRED. */
    public static PlanSnapshot retiredCopy(PlanSnapshot p) {
        return new PlanSnapshot(p.code(), p.version(), p.name(), p.description(), p.rank(), p.selfServe(), p.defaultFree(),
                p.prices(), p.creditsPerPeriod(), p.creditPeriod(), p.dailyCredits(), p.seatsIncluded(), p.features(),
                p.overage(), PlanSnapshot.PlanStatus.RETIRED, p.publishedAt(), p.billingMode(), p.rollover());
    }

    private static <T> Optional<T> first(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }
}
