package dev.tally.plans.repository;

import dev.tally.contracts.plans.CreditPackSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Credit packs (top-ups) for sale or retired. Queries only. */
@ApplicationScoped
public class CreditPackRepository {
    private final Pool pool;
    private final Json json;

    public CreditPackRepository(Pool pool, Json json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<List<CreditPackSnapshot>> forSale() {
        return pool.query("SELECT snapshot::text FROM credit_pack WHERE status = 'PUBLISHED' ORDER BY (snapshot->>'credits')::bigint")
                .execute()
                .map(rows -> {
                    List<CreditPackSnapshot> packs = new ArrayList<>();
                    rows.forEach(r -> packs.add(json.read(r.getString(0), CreditPackSnapshot.class)));
                    return packs;
                });
    }

    /** Saves the pack as it now stands; false when {@code onlyIfNew} and the code exists. */
    public Uni<Boolean> save(SqlConnection tx, CreditPackSnapshot pack, boolean onlyIfNew, Instant now) {
        String sql = "INSERT INTO credit_pack (code, status, snapshot, updated_at) VALUES ($1, $2, $3::text::jsonb, $4) ON CONFLICT (code) "
                + (onlyIfNew ? "DO NOTHING" : "DO UPDATE SET status = excluded.status, snapshot = excluded.snapshot, updated_at = excluded.updated_at");
        return tx.preparedQuery(sql).execute(Tuple.of(pack.code(), pack.status().name(), json.write(pack), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<CreditPackSnapshot>> find(SqlConnection tx, String code) {
        return tx.preparedQuery("SELECT snapshot::text FROM credit_pack WHERE code = $1 FOR UPDATE").execute(Tuple.of(code))
                .map(rows -> {
                    List<CreditPackSnapshot> packs = new ArrayList<>();
                    rows.forEach(r -> packs.add(json.read(r.getString(0), CreditPackSnapshot.class)));
                    return packs;
                });
    }
}
