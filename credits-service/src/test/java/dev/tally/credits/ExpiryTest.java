package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.credits.repository.LedgerAudit;
import dev.tally.credits.service.ExpirySweep;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Expiries are ledger entries at the instant they expire, written by the sweep or by the next change
 * that locks the account; the ledger check names every bucket or balance that moved without one.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class ExpiryTest extends ClockAndSweepTest {
    @Inject
    LedgerAudit audit;

    @Test
    void anExpiredPromoGrantLeavesByAnExpireEntryDatedAtItsExpiryAndTheLedgerHolds() {
        String acc = "acc-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        promo(acc, 30, expiresAt);
        promo(acc, 50, null);
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(80));
        advanceClock("PT2M");
        // the sweep writes it (nothing here locks the account: the history is a plain read)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(1, entries(acc, "EXPIRE").size()));
        Row expiry = entries(acc, "EXPIRE").get(0);
        assertEquals(-30, expiry.getLong("amount"));
        assertEquals("PROMO", expiry.getString("bucket"));
        assertEquals(expiresAt, expiry.getOffsetDateTime("effective_at").toInstant(), "dated at the bucket's expiry");
        assertTrue(expiry.getOffsetDateTime("created_at").toInstant().isAfter(expiresAt), "written after it, by the sweep");
        service().get("/accounts/{id}/credits/ledger", acc).then().body("[0].kind", equalTo("EXPIRE"))
                .body("[0].effectiveAt", equalTo(expiresAt.toString()));
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(50)).body("byBucket", equalTo(Map.of("PROMO", 50)));
        assertEquals(50, sumOfEntries(acc), "the balance is the sum of the entries");
        assertEquals(List.of("expired " + expiresAt + ":30"), forfeitsAnnounced(acc));
        JsonPath check = ledgerCheck();
        assertTrue(check.getBoolean("holds"), check.prettify());
    }

    @Test
    void aDebitRightAfterAnExpiryDoesNotSpendTheExpiredCreditsAndWritesTheExpiry() {
        scheduler.pause(ExpirySweep.IDENTITY);
        String acc = "acc-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        promo(acc, 30, expiresAt);
        promo(acc, 10, null);
        advanceClock("PT2M");
        debit(acc, 15).then().statusCode(402).body("code", equalTo("insufficient_credits"));
        List<Row> expiries = entries(acc, "EXPIRE"); // the sweep is paused: the refused debit's transaction wrote it
        assertEquals(1, expiries.size());
        assertEquals(-30, expiries.get(0).getLong("amount"));
        assertEquals(expiresAt, expiries.get(0).getOffsetDateTime("effective_at").toInstant());
        debit(acc, 10).then().statusCode(201).body("takenFrom.bucket", equalTo(List.of("PROMO"))).body("balance", equalTo(0));
        assertEquals(0, sumOfEntries(acc));
        assertEquals(1, entries(acc, "EXPIRE").size(), "expired once");
    }

    @Test
    void theLedgerCheckNamesABucketThatChangedWithoutAnEntry() {
        String acc = "acc-" + UUID.randomUUID();
        promo(acc, 40, null);
        long bucket = sql("SELECT id FROM credit_bucket WHERE account_id = $1", acc).get(0).getLong(0);
        sql("UPDATE credit_bucket SET remaining = remaining - 7 WHERE id = $1", bucket);
        try {
            JsonPath check = ledgerCheck();
            assertFalse(check.getBoolean("holds"));
            assertEquals(List.of("balance_differs_from_entries:null:40:33", "bucket_differs_from_entries:" + bucket + ":40:33"),
                    disagreementsOf(check, acc));
            assertEquals(33, check.getInt("mismatches.find { it.bucketId == " + bucket + " }.remaining"));
            assertEquals(40, check.getInt("mismatches.find { it.bucketId == " + bucket + " }.sumOfEntries"));
        } finally {
            sql("UPDATE credit_bucket SET remaining = remaining + 7 WHERE id = $1", bucket);
        }
        assertEquals(List.of(), disagreementsOf(ledgerCheck(), acc));
    }

    @Test
    void theLedgerCheckToleratesAnExpiryEntryPendingWithinTheGraceAndNamesOneLeftBeyondIt() throws Exception {
        scheduler.pause(ExpirySweep.IDENTITY);
        String acc = "acc-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        promo(acc, 20, expiresAt);
        long bucket = sql("SELECT id FROM credit_bucket WHERE account_id = $1", acc).get(0).getLong(0);
        advanceClock("PT70S"); // 10 s past the expiry: within the grace (30 s)
        JsonPath pending = ledgerCheck();
        assertEquals(List.of(), disagreementsOf(pending, acc));
        assertTrue(pending.getLong("expiriesPending") >= 1, pending.prettify());
        advanceClock("PT60S"); // 70 s past it, but only just: the clock jumped past it, no sweep has had a chance yet
        assertEquals(List.of(), disagreementsOf(ledgerCheck(), acc));
        Thread.sleep(1_500); // left due for longer than a grace of one second in real time too
        LedgerAudit.Result overdue = audit.check(clock.instant(), Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(10));
        assertFalse(overdue.disagreementCount() == 0);
        assertEquals(List.of("expired_without_entry:" + bucket + ":0:20"), overdue.disagreements().stream().filter(d -> d.accountId().equals(acc))
                .map(d -> d.kind() + ":" + d.bucketId() + ":" + d.expected() + ":" + d.actual()).toList());
        scheduler.resume(ExpirySweep.IDENTITY);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(1, entries(acc, "EXPIRE").size()));
        assertEquals(List.of(), disagreementsOf(ledgerCheck(), acc));
        assertEquals(List.of(), audit.check(clock.instant(), Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(10)).disagreements()
                .stream().filter(d -> d.accountId().equals(acc)).toList());
    }

    private static void promo(String acc, long credits, Instant expiresAt) {
        admin().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"credits\":" + credits + ",\"reason\":\"campaign\"" + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"") + "}")
                .post("/accounts/{id}/credits/grants", acc).then().statusCode(201);
    }

    private static io.restassured.response.Response debit(String acc, long amount) {
        return service().header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"amount\":" + amount + ",\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/debits", acc);
    }

    private static void advanceClock(String by) {
        admin().body("{\"by\":\"" + by + "\"}").post("/admin/clock/advance").then().statusCode(200);
    }

    private static JsonPath ledgerCheck() {
        return admin().get("/admin/ledger/check").then().statusCode(200).extract().jsonPath();
    }

    /** The account's disagreements as kind:bucket:expected:actual, sorted. */
    private static List<String> disagreementsOf(JsonPath check, String acc) {
        List<Map<String, Object>> all = check.getList("disagreements");
        return all.stream().filter(d -> acc.equals(d.get("accountId")))
                .map(d -> d.get("kind") + ":" + d.get("bucketId") + ":" + d.get("expected") + ":" + d.get("actual")).sorted().toList();
    }

    private List<Row> entries(String acc, String kind) {
        return sql("SELECT * FROM ledger_entry WHERE account_id = $1 AND kind = $2 ORDER BY id", acc, kind);
    }

    private long sumOfEntries(String acc) {
        return sql("SELECT COALESCE(SUM(amount), 0)::bigint FROM ledger_entry WHERE account_id = $1", acc).get(0).getLong(0);
    }

    private List<String> forfeitsAnnounced(String acc) {
        return sql("SELECT payload->>'reason', payload->>'credits' FROM outbox_event WHERE subject = $1 AND type = 'credits.forfeited' "
                + "ORDER BY seq", acc).stream().map(r -> r.getString(0) + ":" + r.getString(1)).toList();
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
