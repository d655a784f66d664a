package dev.tally.plans.repository;

import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.plans.domain.PolicyOverride;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Admin overrides of the change policy. Queries only. */
@ApplicationScoped
public class PolicyOverrideRepository {
    private final Pool pool;

    public PolicyOverrideRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<PolicyOverride>> all() {
        return all(pool);
    }

    public Uni<List<PolicyOverride>> all(io.vertx.mutiny.sqlclient.SqlClient client) {
        return client.query("SELECT from_code, to_code, direction, allowed, default_timing FROM change_policy_override ORDER BY id")
                .execute()
                .map(rows -> {
                    List<PolicyOverride> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toOverride(r)));
                    return out;
                });
    }

    /**
     * Moves the policy's version up by one, or to 1 when {@code onlyFirst} and it is still 0 (not
     * announced); empty when there was nothing to do. Holds the version row's lock to the commit,
     * so edits of the policy are serial and their versions in commit order.
     */
    public Uni<java.util.Optional<Long>> nextVersion(SqlConnection tx, boolean onlyFirst) {
        return tx.query(onlyFirst ? "UPDATE change_policy_version SET version = 1 WHERE version = 0 RETURNING version"
                        : "UPDATE change_policy_version SET version = version + 1 RETURNING version").execute()
                .map(rows -> rows.size() == 0 ? java.util.Optional.<Long>empty() : java.util.Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Replaces the override for the same pair or direction, in the caller's transaction. */
    public Uni<Void> put(SqlConnection tx, PolicyOverride o) {
        String[] allowed = o.allowedTimings().stream().map(Enum::name).sorted().toArray(String[]::new);
        String direction = o.direction() == null ? null : o.direction().name();
        return ((o.isForPair()
                        ? tx.preparedQuery("DELETE FROM change_policy_override WHERE from_code = $1 AND to_code = $2 AND direction IS NULL")
                                .execute(Tuple.of(o.fromCode(), o.toCode()))
                        : tx.preparedQuery("DELETE FROM change_policy_override WHERE direction = $1").execute(Tuple.of(direction)))
                .flatMap(x -> tx.preparedQuery("INSERT INTO change_policy_override (from_code, to_code, direction, allowed, default_timing) "
                                + "VALUES ($1, $2, $3, $4, $5)")
                        .execute(Tuple.of(o.fromCode(), o.toCode(), direction, allowed, o.defaultTiming().name())))
                .replaceWithVoid());
    }

    private static PolicyOverride toOverride(Row r) {
        Set<ChangeTiming> allowed = Arrays.stream(r.getArrayOfStrings("allowed")).map(ChangeTiming::valueOf).collect(Collectors.toSet());
        String direction = r.getString("direction");
        return new PolicyOverride(r.getString("from_code"), r.getString("to_code"),
                direction == null ? null : ChangeDirection.valueOf(direction), allowed, ChangeTiming.valueOf(r.getString("default_timing")));
    }
}
