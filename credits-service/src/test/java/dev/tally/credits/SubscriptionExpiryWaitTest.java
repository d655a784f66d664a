package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.plans.BillingInterval;
import dev.tally.contracts.plans.Overage;
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
 * The sweep leaves SUBSCRIPTION credits just past their period end to the period end's own event (a
 * renewal expires them in its transaction) for {@code tally.credits.expiry-sweep-subscription-wait}
 * (10 s), so in a renewal storm it does not race the renewals for the same accounts; other buckets
 * due at the same instant it expires at once, and the period's credits once the wait is over, with
 * no renewal: no expiry is lost and the ledger check holds.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class SubscriptionExpiryWaitTest extends ClockAndSweepTest {
    @Inject
    ObjectMapper json;
    @Inject
    ExpirySweep sweep;

    @Test
    void theSweepLeavesThePeriodsCreditsToTheRenewalForTheWaitThenForfeitsThemItselfAndExpiresAPromoAtOnce() throws Exception {
        scheduler.pause(ExpirySweep.IDENTITY); // this test runs the sweep itself
        String acc = "acc-" + UUID.randomUUID();
        Instant end = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "pro", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, end.minus(Duration.ofDays(30)), end, false, null,
                new CreditTerms(1000, null, 0, Overage.block()), List.of(), 1, 1);
        TestEvents.publish(Events.SUBSCRIPTION_STARTED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
        LedgerCalls.awaitBalance(acc, 1000);
        admin().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"credits\":30,\"reason\":\"campaign\",\"expiresAt\":\"" + end + "\"}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
        LedgerCalls.awaitBalance(acc, 1030);
        admin().body("{\"by\":\"PT2M\"}").post("/admin/clock/advance").then().statusCode(200);
        Instant jumped = Instant.now();

        sweep.sweep().await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of("EXPIRE:PROMO:-30"), entries(acc), "the promo at once; the period's credits wait for their renewal");

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sweep.sweep().await().atMost(Duration.ofSeconds(30));
            return entries(acc).size() == 2;
        });
        assertTrue(Duration.between(jumped, Instant.now()).toMillis() >= 9_000, "not before the wait (10 s) was over");
        assertEquals(List.of("EXPIRE:PROMO:-30", "FORFEIT:SUBSCRIPTION:-1000"), entries(acc));
        assertEquals(0L, sql("SELECT COALESCE(SUM(remaining), 0)::bigint FROM credit_bucket WHERE account_id = $1", acc).get(0).getLong(0));
        assertTrue(admin().get("/admin/ledger/check").then().extract().jsonPath().getBoolean("holds"));
    }

    /** The account's expiry entries (those after its grants), in order. */
    private List<String> entries(String acc) {
        return sql("SELECT kind, bucket, amount FROM ledger_entry WHERE account_id = $1 AND kind <> 'GRANT' ORDER BY id", acc).stream()
                .map(r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getLong(2)).toList();
    }

    private List<io.vertx.mutiny.sqlclient.Row> sql(String statement, Object... params) {
        List<io.vertx.mutiny.sqlclient.Row> out = new ArrayList<>();
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).forEach(out::add);
        return out;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }
}
