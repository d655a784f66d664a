package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.EventType;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.subscriptions.ChangeDirection;
import dev.tally.contracts.subscriptions.ChangeTiming;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.PendingChangeView;
import dev.tally.contracts.subscriptions.PlanChange;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /accounts/{id}/entitlements and the one-feature check, from the projection of the subscription
 * events this service applied; entitlements.changed announced with the change that takes effect, not with a renewal.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class EntitlementChecksTest {
    static final Instant START = Instant.now().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
    static final Instant END = START.plus(Duration.ofDays(30));
    static final CreditTerms PRO = new CreditTerms(1000, BillingInterval.MONTH, 0, Overage.block());
    static final CreditTerms PLUS = new CreditTerms(300, BillingInterval.MONTH, 0, Overage.block());

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;

    private void publish(EventType<SubscriptionEvent> type, String acc, UUID sub, String plan, List<String> features, int seats,
                         CreditTerms credits, PendingChangeView pending, PlanChange change, long revision) throws Exception {
        var state = new SubscriptionState(sub, acc, plan, 1, BillingInterval.MONTH, SubscriptionState.Status.ACTIVE, START, END, false, pending,
                credits, features, seats, revision);
        TestEvents.publish(type, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, change)));
    }

    private static RequestSpecification account(String acc) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.account(acc)));
    }

    @Test
    void theCheckAnswersFromTheProjectionAndADowngradeTakingEffectChangesItAndIsAnnouncedOnce() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        UUID sub = UUID.randomUUID();
        publish(Events.SUBSCRIPTION_STARTED, acc, sub, "pro", List.of("pro-models", "team-collaboration"), 5, PRO, null, null, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> account(acc).get("/accounts/{id}/entitlements/team-collaboration", acc)
                .then().statusCode(200).body("allowed", equalTo(true)).body("reason", equalTo("in_plan"))
                .body("validUntil", equalTo(END.toString())).header("Cache-Control", equalTo("private, max-age=60")));
        account(acc).get("/accounts/{id}/entitlements/sso", acc).then().statusCode(200).body("allowed", equalTo(false))
                .body("reason", equalTo("not_in_plan"));
        account(acc).queryParam("quantity", 6).get("/accounts/{id}/entitlements/seats", acc).then().body("allowed", equalTo(false))
                .body("limit", equalTo(5));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> account(acc).queryParam("quantity", 1000)
                .get("/accounts/{id}/entitlements/credits", acc).then().body("allowed", equalTo(true)).body("remaining", equalTo(1000))
                .header("Cache-Control", equalTo("private, no-cache")));
        account(acc).queryParam("quantity", 1001).get("/accounts/{id}/entitlements/credits", acc).then()
                .body("allowed", equalTo(false)).body("reason", equalTo("insufficient_credits"));
        LedgerCalls.debit(acc, 400, null).then().statusCode(201);
        account(acc).get("/accounts/{id}/entitlements", acc).then().statusCode(200).body("planCode", equalTo("pro"))
                .body("features.feature", hasItems("pro-models", "team-collaboration", "credits", "seats"))
                .body("features.find { it.feature == 'credits' }.used", equalTo(400))
                .body("features.find { it.feature == 'credits' }.remaining", equalTo(600))
                .body("features.find { it.feature == 'credits' }.limit", equalTo(1000))
                .body("features.find { it.feature == 'credits' }.resetsAt", equalTo(END.toString()));

        var pending = new PendingChangeView(UUID.randomUUID(), "plus", 1, BillingInterval.MONTH, ChangeTiming.END_OF_PERIOD, END);
        publish(Events.SUBSCRIPTION_CHANGE_SCHEDULED, acc, sub, "pro", List.of("pro-models", "team-collaboration"), 5, PRO, pending, null, 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> account(acc).get("/accounts/{id}/entitlements", acc).then()
                .body("pendingPlanCode", equalTo("plus")).body("pendingEffectiveAt", equalTo(END.toString())));
        account(acc).get("/accounts/{id}/entitlements/team-collaboration", acc).then().body("allowed", equalTo(true));

        var change = new PlanChange("pro", 1, PRO, ChangeTiming.END_OF_PERIOD, ChangeDirection.DOWNGRADE, 0, 1);
        publish(Events.SUBSCRIPTION_PLAN_CHANGED, acc, sub, "plus", List.of("pro-models"), 1, PLUS, null, change, 3);
        publish(Events.SUBSCRIPTION_RENEWED, acc, sub, "plus", List.of("pro-models"), 1, PLUS, null, null, 4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> account(acc).get("/accounts/{id}/entitlements", acc).then()
                .body("planCode", equalTo("plus")).body("pendingPlanCode", equalTo(null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> sql("SELECT 1 FROM entitlement WHERE account_id = $1 AND revision = 4", acc).size() == 1);
        account(acc).get("/accounts/{id}/entitlements/team-collaboration", acc).then().body("allowed", equalTo(false));
        account(acc).get("/accounts/{id}/entitlements/pro-models", acc).then().body("allowed", equalTo(true));

        // started, then the downgrade taking effect; the scheduled change and the renewal announce nothing
        List<String> announced = new ArrayList<>();
        sql("SELECT payload->>'cause', payload->>'planCode', payload->>'previousPlanCode', payload->>'seats' FROM outbox_event "
                + "WHERE subject = $1 AND type = 'entitlements.changed' ORDER BY seq", acc)
                .forEach(r -> announced.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3)));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("subscription.started pro null 5", "subscription.plan-changed plus pro 1"),
                announced);
    }

    @Test
    void anAccountNoSubscriptionReachedIsNotFoundAndAnotherAccountIsRefused() {
        String acc = "acc-" + UUID.randomUUID();
        account(acc).get("/accounts/{id}/entitlements/credits", acc).then().statusCode(404)
                .body("code", equalTo("subscription_not_found")).contentType("application/problem+json");
        account("acc-a").get("/accounts/{id}/entitlements", "acc-b").then().statusCode(403);
        account(acc).queryParam("quantity", 0).get("/accounts/{id}/entitlements/seats", acc).then().statusCode(400);
    }

    private List<io.vertx.mutiny.sqlclient.Row> sql(String statement, Object... params) {
        List<io.vertx.mutiny.sqlclient.Row> out = new ArrayList<>();
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).forEach(out::add);
        return out;
    }
}
