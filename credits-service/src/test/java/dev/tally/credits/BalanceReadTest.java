package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /accounts/{id}/credits} is first a plain read: one statement's snapshot of the account's
 * terms, live buckets and holds, touched in memory (the day's reset, due expiries) as a change would
 * touch it. When that touch records nothing, the snapshot is the answer: no lock, no write, so the
 * read never waits on a transaction that holds the account (the consumer's batches, a debit) and
 * shows only what was committed. When it records something (a bucket expired, the day's credits),
 * the read writes those entries under the account's lock before it answers: a balance never shows
 * what the ledger does not hold.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class BalanceReadTest extends ClockAndSweepTest {
    @Inject
    ObjectMapper json;

    @Test
    void theBalanceAnswersWhileAnotherTransactionHoldsTheAccountRowForUpdateAndShowsWhatWasCommitted() throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        promo(acc, 80, null);
        admin().body("{\"amount\":30,\"ttlSeconds\":600,\"reason\":\"render\"}").post("/accounts/{id}/credits/holds", acc).then().statusCode(201);
        SqlConnection holder = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        CompletableFuture<Response> read = null;
        try {
            holder.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
            holder.preparedQuery("SELECT 1 FROM credit_account WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(acc))
                    .await().atMost(Duration.ofSeconds(10));
            holder.preparedQuery("UPDATE credit_bucket SET remaining = remaining - 10 WHERE account_id = $1").execute(Tuple.of(acc))
                    .await().atMost(Duration.ofSeconds(10)); // a change in flight, not committed
            read = CompletableFuture.supplyAsync(() -> admin().get("/accounts/{id}/credits", acc));
            Response answer = read.get(10, TimeUnit.SECONDS); // a read that waited for the lock would wait until the rollback below
            assertEquals(200, answer.statusCode());
            assertEquals(Map.of("accountId", acc, "available", 50, "held", 30, "byBucket", Map.of("PROMO", 80)), answer.jsonPath().getMap("$"));
        } finally {
            holder.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(10));
            holder.close().await().atMost(Duration.ofSeconds(10));
            if (read != null) {
                read.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anAccountSeenForTheFirstTimeReadsAsEmptyAndTheReadCreatesNoRow() {
        String acc = "acc-" + UUID.randomUUID();
        String body = admin().get("/accounts/{id}/credits", acc).then().statusCode(200).extract().asString();
        assertEquals("{\"accountId\":\"" + acc + "\",\"available\":0,\"held\":0,\"byBucket\":{}}", body);
        assertEquals(0L, count("SELECT count(*) FROM credit_account WHERE account_id = $1", acc));
    }

    @Test
    void aBucketPastItsExpiryIsExpiredByItsEntryBeforeTheReadAnswers() {
        scheduler.pause(ExpirySweep.IDENTITY);
        String acc = "acc-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        promo(acc, 30, expiresAt);
        promo(acc, 50, null);
        admin().get("/accounts/{id}/credits", acc).then().body("available", equalTo(80));
        String expiries = "SELECT count(*) FROM ledger_entry WHERE account_id = $1 AND kind = 'EXPIRE'";
        assertEquals(0L, count(expiries, acc), "nothing due yet: the read wrote nothing");
        advance("PT2M");
        admin().get("/accounts/{id}/credits", acc).then().body("available", equalTo(50)).body("byBucket", equalTo(Map.of("PROMO", 50)));
        assertEquals(1L, count(expiries, acc), "the read wrote the expiry (the sweep is paused)");
        assertEquals(50L, count("SELECT COALESCE(SUM(remaining), 0) FROM credit_bucket WHERE account_id = $1", acc));
        admin().get("/accounts/{id}/credits", acc).then().body("available", equalTo(50));
        assertEquals(1L, count(expiries, acc), "once");
    }

    @Test
    void onANewDayTheReadGrantsTheDaysCreditsOnceBeforeItShowsThem() throws Exception {
        scheduler.pause(ExpirySweep.IDENTITY);
        String acc = "acc-" + UUID.randomUUID();
        free(acc, 100);
        admin().body("{\"amount\":40,\"reason\":\"render\"}").post("/accounts/{id}/credits/debits", acc).then().statusCode(201);
        admin().get("/accounts/{id}/credits", acc).then().body("available", equalTo(60)).body("byBucket", equalTo(Map.of("DAILY", 60)));
        String grants = "SELECT count(*) FROM ledger_entry WHERE account_id = $1 AND kind = 'GRANT' AND bucket = 'DAILY'";
        assertEquals(1L, count(grants, acc));
        advance("P1D");
        admin().get("/accounts/{id}/credits", acc).then().body("available", equalTo(100)).body("byBucket", equalTo(Map.of("DAILY", 100)));
        assertEquals(2L, count(grants, acc), "the day's first read granted them");
        admin().get("/accounts/{id}/credits", acc).then().body("available", equalTo(100));
        assertEquals(2L, count(grants, acc), "once");
        admin().body("{\"amount\":1,\"reason\":\"render\"}").post("/accounts/{id}/credits/debits", acc).then().statusCode(201)
                .body("balance", equalTo(99));
        assertEquals(2L, count(grants, acc));
    }

    /** On a Free-like plan: {@code daily} credits a day, nothing per period, BLOCK (the event's transaction grants today's). */
    private void free(String acc, long daily) throws Exception {
        Instant start = clock.instant();
        var state = new SubscriptionState(UUID.nameUUIDFromBytes(acc.getBytes()), acc, "free", 1, BillingInterval.MONTH,
                SubscriptionState.Status.ACTIVE, start, start.plus(Duration.ofDays(30)), false, null,
                new CreditTerms(0, BillingInterval.MONTH, daily, Overage.block()), List.of(), 1, 1);
        TestEvents.publish(Events.SUBSCRIPTION_STARTED, acc, acc, json.writeValueAsString(new SubscriptionEvent(state, null)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin().get("/accounts/{id}/credits", acc).then()
                .body("available", equalTo((int) daily)));
    }

    private static void promo(String acc, long credits, Instant expiresAt) {
        admin().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"credits\":" + credits + ",\"reason\":\"campaign\"" + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"") + "}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
    }

    private static void advance(String by) {
        admin().body("{\"by\":\"" + by + "\"}").post("/admin/clock/advance").then().statusCode(200);
    }

    private long count(String statement, String acc) {
        return pool.preparedQuery(statement).execute(Tuple.of(acc)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
    }
}
