package dev.tally.subscriptions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.ChangePolicySnapshot;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.PlanPrice;
import dev.tally.contracts.plans.PlanSnapshot;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The change policy's read model: an override published on the plans topic changes the answer of
 * {@code GET /catalog/change-policy} and what a change is offered; a late event of an older version
 * is consumed and changes nothing; a redelivered event is applied once.
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class ChangePolicyReadModelTest {
    private static final String MOVE = "/catalog/change-policy?from=plus&fromInterval=MONTH&to=free&toInterval=MONTH";

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Test
    void anOverrideChangesTheAnswerAndAnOlderOrRepeatedEventChangesNothing() throws Exception {
        for (var plan : List.of(new PlanSnapshot("free", 1, "Free", "", 0, true, true, List.of(), 0, BillingInterval.MONTH, 100, 1, List.of(),
                Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now()), paid("plus", 10, 1000), paid("pro", 20, 3000))) {
            TestEvents.publish(Events.PLAN_PUBLISHED, plan.code(), plan.code(), json.writeValueAsString(plan));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as().get("/catalog/plans").then().body("code", Matchers.hasItems("free", "plus")));
        TestPolicy.set(pool);
        as().get(MOVE).then().statusCode(200).body("direction", Matchers.equalTo("DOWNGRADE"))
                .body("defaultTiming", Matchers.equalTo("END_OF_PERIOD")).body("decidedBy", Matchers.equalTo("default"));

        var pair = new ChangePolicySnapshot.Override("plus", "free", null, Set.of(ChangeTiming.END_OF_PERIOD, ChangeTiming.IMMEDIATE_PRORATED),
                ChangeTiming.IMMEDIATE_PRORATED);
        long version = TestPolicy.set(pool, pair);
        as().get(MOVE).then().statusCode(200).body("defaultTiming", Matchers.equalTo("IMMEDIATE_PRORATED"))
                .body("allowedTimings", Matchers.containsInAnyOrder("END_OF_PERIOD", "IMMEDIATE_PRORATED"))
                .body("decidedBy", Matchers.equalTo("override:plus->free"));

        String older = publish(new ChangePolicySnapshot(version - 1, List.of(), Instant.now()));
        awaitConsumed(older);
        assertEquals(version, version(), "an older version arriving late is not applied");
        as().get(MOVE).then().body("defaultTiming", Matchers.equalTo("IMMEDIATE_PRORATED"));

        var newer = new ChangePolicySnapshot(version + 1_000_000, List.of(), Instant.now());
        String id = publish(newer);
        awaitConsumed(id);
        TestEvents.publish(id, Events.CHANGE_POLICY_PUBLISHED, "change-policy", "change-policy", json.writeValueAsString(
                new ChangePolicySnapshot(version + 2_000_000, List.of(pair), Instant.now()))); // same id again: not applied
        String marker = publish(new ChangePolicySnapshot(version - 2, List.of(), Instant.now())); // same key: consumed after it
        awaitConsumed(marker);
        assertEquals(version + 1_000_000, version(), "the repeated event id was applied once");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> as().get(MOVE).then().body("decidedBy", Matchers.equalTo("default")));
        TestPolicy.set(pool); // the default table for the other classes (a version above all of these)
    }

    private String publish(ChangePolicySnapshot snapshot) throws Exception {
        String id = UUID.randomUUID().toString();
        TestEvents.publish(id, Events.CHANGE_POLICY_PUBLISHED, "change-policy", "change-policy", json.writeValueAsString(snapshot));
        return id;
    }

    private void awaitConsumed(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT count(*) FROM inbox_event WHERE event_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(eventId)).map(r -> r.iterator().next().getLong(0) == 1).await().indefinitely());
    }

    private long version() {
        return pool.query("SELECT version FROM catalog_change_policy").execute().map(r -> r.iterator().next().getLong(0)).await().indefinitely();
    }

    private static PlanSnapshot paid(String code, int rank, long price) {
        return new PlanSnapshot(code, 1, code, "", rank, true, false, List.of(new PlanPrice(BillingInterval.MONTH, price, "USD", null)),
                1000, BillingInterval.MONTH, 0, 1, List.of(), Overage.block(), PlanSnapshot.PlanStatus.PUBLISHED, Instant.now());
    }

    private static io.restassured.specification.RequestSpecification as() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }
}
