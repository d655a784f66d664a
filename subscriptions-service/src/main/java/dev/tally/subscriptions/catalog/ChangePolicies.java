package dev.tally.subscriptions.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.catalog.CatalogAddition;
import dev.tally.backbone.inbox.InboundEvent;
import dev.tally.backbone.tx.Tx;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.ChangePolicySnapshot;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.plans.domain.ChangePolicy;
import dev.tally.plans.domain.ChangePolicyTable;
import dev.tally.plans.domain.PolicyOverride;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalog's change policy in this service's read model: the overrides plans-service published
 * (change-policy.published, applied once through the Inbox and only when its version is higher than
 * the one kept), resolved with plans-domain's {@link ChangePolicyTable}, the table plans-service's
 * {@code GET /change-policy} answers from, so both answer alike. A change asks nobody for it. The
 * overrides are read at most every two seconds, and again at once after this instance applies an
 * event (another replica's copy is at most two seconds old, as with the plans).
 */
@ApplicationScoped
public class ChangePolicies implements CatalogAddition {
    private static final Duration FRESH = Duration.ofSeconds(2);
    private static final TypeReference<List<ChangePolicySnapshot.Override>> OVERRIDES = new TypeReference<>() {
    };
    private final Pool pool;
    private final ObjectMapper json;
    private final AtomicReference<Uni<List<PolicyOverride>>> recent = new AtomicReference<>();

    public ChangePolicies(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * The policy for moving from {@code from} (its latest version, as plans-service reads it) to
     * {@code to}. Never called with the same plan and interval (the caller refuses that first).
     */
    public Uni<ChangePolicy> policy(PlanSnapshot from, BillingInterval fromInterval, PlanSnapshot to, BillingInterval toInterval) {
        return overrides().map(all -> ChangePolicyTable.resolve(from, fromInterval, to, toInterval, all));
    }

    /** The overrides in force here: the kept list, or none before plans-service's first announcement arrives. */
    public Uni<List<PolicyOverride>> overrides() {
        Uni<List<PolicyOverride>> shared = recent.updateAndGet(u -> u != null ? u : pool
                .query("SELECT overrides::text FROM catalog_change_policy").execute()
                .map(rows -> rows.size() == 0 ? List.<PolicyOverride>of() : decode(rows.iterator().next().getString(0)))
                .memoize().atLeast(FRESH));
        return shared.onFailure().invoke(() -> recent.compareAndSet(shared, null));
    }

    @Override
    public Uni<Void> apply(Tx tx, InboundEvent event) {
        if (!event.is(Events.CHANGE_POLICY_PUBLISHED)) {
            return Uni.createFrom().voidItem();
        }
        ChangePolicySnapshot policy = event.payload(Events.CHANGE_POLICY_PUBLISHED);
        return tx.connection().preparedQuery("INSERT INTO catalog_change_policy (id, version, overrides) VALUES (TRUE, $1, $2::text::jsonb) "
                        + "ON CONFLICT (id) DO UPDATE SET version = excluded.version, overrides = excluded.overrides, "
                        + "received_at = clock_timestamp() WHERE catalog_change_policy.version < excluded.version")
                .execute(Tuple.of(policy.version(), encode(policy.overrides())))
                .invoke(() -> recent.set(null))
                .replaceWithVoid();
    }

    @Override
    public void committed() {
        recent.set(null);
    }

    private List<PolicyOverride> decode(String text) {
        try {
            return json.readValue(text, OVERRIDES).stream().map(o -> new PolicyOverride(o.fromCode(), o.toCode(), o.direction(),
                    o.allowedTimings(), o.defaultTiming())).toList();
        } catch (Exception e) {
            throw new IllegalStateException("unreadable change policy row", e);
        }
    }

    private String encode(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
