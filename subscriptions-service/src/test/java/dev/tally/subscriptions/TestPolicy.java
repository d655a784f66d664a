package dev.tally.subscriptions;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.ChangePolicySnapshot;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.testsupport.TestEvents;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sets the change policy's overrides as plans-service would publish them (change-policy.published,
 * at a version above any kept) and waits until the catalog read model holds them. Test classes
 * share the service's database, so every class that changes plans sets the policy it relies on.
 */
public final class TestPolicy {
    private static final AtomicLong VERSION = new AtomicLong(System.currentTimeMillis());
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private TestPolicy() {
    }

    /** Publishes the overrides at the next version and waits for the read model to hold them; that version. */
    public static long set(Pool pool, ChangePolicySnapshot.Override... overrides) throws Exception {
        long kept = pool.query("SELECT coalesce(max(version), 0) FROM catalog_change_policy").execute()
                .map(rows -> rows.iterator().next().getLong(0)).await().indefinitely();
        long version = VERSION.updateAndGet(v -> Math.max(v, kept) + 1);
        var snapshot = new ChangePolicySnapshot(version, List.of(overrides), Instant.now());
        TestEvents.publish(Events.CHANGE_POLICY_PUBLISHED, "change-policy", "change-policy", JSON.writeValueAsString(snapshot));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.query("SELECT version FROM catalog_change_policy").execute()
                .map(rows -> rows.size() == 1 && rows.iterator().next().getLong(0) == version).await().indefinitely());
        Thread.sleep(100); // the consumer drops its cached copy right after the commit the query saw
        return version;
    }

    public static ChangePolicySnapshot.Override byDirection(ChangeDirection direction, ChangeTiming defaultTiming, ChangeTiming... allowed) {
        return new ChangePolicySnapshot.Override(null, null, direction, Set.of(allowed), defaultTiming);
    }
}
