package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.EventType;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
import dev.tally.contracts.plans.Rollover;
import dev.tally.contracts.subscriptions.CreditTerms;
import dev.tally.contracts.subscriptions.SubscriptionEvent;
import dev.tally.contracts.subscriptions.SubscriptionState;
import dev.tally.credits.service.ExpirySweep;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Capped rollover against the real database and broker: at the period end the cap rolls into a ROLLOVER lot, the rest is forfeited. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class RolloverTest extends ClockAndSweepTest {
    @Inject
    ObjectMapper json;

    @Test
    void theRenewalRollsTheCappedCreditsIntoALotOfTheirOwnForfeitsTheRestAndSpendsTheLotFirst() throws Exception {
        scheduler.pause(ExpirySweep.IDENTITY); // the renewal's own transaction finds the period's credits due
        String acc = "acc-" + UUID.randomUUID();
        Instant end = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant start = end.minus(Duration.ofDays(30));
        Rollover rollover = new Rollover(300L, null, 10);
        publish(Events.SUBSCRIPTION_STARTED, acc, start, end, rollover, 1);
        LedgerCalls.awaitBalance(acc, 1000);
        LedgerCalls.debit(acc, 550, null).then().statusCode(201);
        admin().body("{\"by\":\"PT2M\"}").post("/admin/clock/advance").then().statusCode(200);
        publish(Events.SUBSCRIPTION_RENEWED, acc, end, end.plus(Duration.ofDays(30)), rollover, 2);
        LedgerCalls.awaitBalance(acc, 1300);

        assertEquals(List.of("FORFEIT:SUBSCRIPTION:-150", "ROLLOVER:SUBSCRIPTION:-300", "GRANT:ROLLOVER:300"),
                entries(acc, "effective_at = $2", end));
        Row lot = sql("SELECT remaining, expires_at FROM credit_bucket WHERE account_id = $1 AND kind = 'ROLLOVER'", acc).get(0);
        assertEquals(end.plus(Duration.ofDays(10)), lot.getOffsetDateTime(1).toInstant());
        Row event = sql("SELECT payload->>'credits', payload->>'forfeited', payload->>'cap' FROM outbox_event WHERE subject = $1 "
                + "AND type = 'credits.rolled-over'", acc).get(0);
        assertEquals(List.of("300", "150", "300"), List.of(event.getString(0), event.getString(1), event.getString(2)));
        service().get("/accounts/{id}/credits/lots", acc).then().body("lots[0].bucket", equalTo("ROLLOVER"))
                .body("lots[0].remaining", equalTo(300));
        LedgerCalls.debit(acc, 350, null).then().statusCode(201).body("takenFrom.bucket", equalTo(List.of("ROLLOVER", "SUBSCRIPTION")))
                .body("takenFrom.credits", equalTo(List.of(300, 50)));
        assertTrue(admin().get("/admin/ledger/check").then().extract().jsonPath().getBoolean("holds"));
    }

    @Test
    void theSweepRollsOverAtThePeriodEndWithoutWaitingForTheRenewalByPercentOfTheGrant() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        Instant end = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        publish(Events.SUBSCRIPTION_STARTED, acc, end.minus(Duration.ofDays(30)), end, new Rollover(null, 25, 30), 1);
        LedgerCalls.awaitBalance(acc, 1000);
        LedgerCalls.debit(acc, 100, null).then().statusCode(201);
        admin().body("{\"by\":\"PT2M\"}").post("/admin/clock/advance").then().statusCode(200);
        // the sweep leaves the period's credits to their renewal for its subscription wait (10 s), then rolls them over itself
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertEquals(
                List.of("FORFEIT:SUBSCRIPTION:-650", "ROLLOVER:SUBSCRIPTION:-250", "GRANT:ROLLOVER:250"), entries(acc, "effective_at = $2", end)));
        LedgerCalls.awaitBalance(acc, 250);
    }

    private void publish(EventType<SubscriptionEvent> type, String acc, Instant start, Instant end, Rollover rollover, long revision)
            throws Exception {
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "pro", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, start, end, false, null,
                new CreditTerms(1000, null, 0, Overage.block(), rollover), List.of(), 1, revision);
        TestEvents.publish(type, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
    }

    private List<String> entries(String acc, String where, Object value) {
        return sql("SELECT kind, bucket, amount FROM ledger_entry WHERE account_id = $1 AND " + where + " ORDER BY id", acc,
                        ((Instant) value).atOffset(java.time.ZoneOffset.UTC))
                .stream().map(r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getLong(2)).toList();
    }

    private List<Row> sql(String statement, Object... params) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).forEach(out::add);
        return out;
    }

    private static RequestSpecification service() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }
}
