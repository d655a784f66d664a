package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static dev.tally.credits.LedgerCalls.account;
import static dev.tally.credits.LedgerCalls.awaitBalance;
import static dev.tally.credits.LedgerCalls.debit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;


/** Debits grouped into shared transactions: concurrency on one account and many, and a debit the database refuses. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class GroupedDebitsTest {
    @Inject
    ObjectMapper json;

    private void topup(String acc, UUID purchase, long credits, String eventId) throws Exception {
        LedgerCalls.topup(json, acc, purchase, credits, eventId);
    }

    @Test
    void hundredsOfConcurrentDebitsOnOneAccountNeverOverspend() throws Exception {
        String acc = account();
        int n = 150;
        int k = 30;
        topup(acc, UUID.randomUUID(), n, UUID.randomUUID().toString());
        awaitBalance(acc, n);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(40); // really concurrent, not the 1-thread common pool
        List<CompletableFuture<Integer>> calls = IntStream.range(0, n + k)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> debit(acc, 1, null).statusCode(), pool)).toList();
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        pool.shutdown();
        assertEquals(n, statuses.stream().filter(s -> s == 201).count());
        assertEquals(k, statuses.stream().filter(s -> s == 402).count());
        awaitBalance(acc, 0);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", equalTo(true));
    }

    @Test
    void concurrentDebitsOverManyAccountsSharingTransactionsSpendEachKeyOnce() throws Exception {
        List<String> accounts = IntStream.range(0, 20).mapToObj(i -> account()).toList();
        for (String acc : accounts) {
            topup(acc, UUID.randomUUID(), 100, UUID.randomUUID().toString());
        }
        accounts.forEach(acc -> awaitBalance(acc, 100));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(48);
        record Call(String acc, String key, CompletableFuture<Response> response) {
        }
        List<Call> calls = new java.util.ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (String acc : accounts) {
                String key = UUID.randomUUID().toString();
                for (int copy = 0; copy < 3; copy++) { // each key sent three times at once
                    calls.add(new Call(acc, key, CompletableFuture.supplyAsync(() -> debit(acc, 3, key), pool)));
                }
            }
        }
        var byKey = new java.util.HashMap<String, java.util.Set<String>>();
        for (Call c : calls) {
            Response r = c.response().join();
            assertEquals(201, r.statusCode(), r.asString());
            byKey.computeIfAbsent(c.key(), k -> new java.util.HashSet<>()).add(r.asString());
        }
        pool.shutdown();
        byKey.forEach((key, bodies) -> assertEquals(1, bodies.size(), "every copy of " + key + " got the same answer"));
        accounts.forEach(acc -> awaitBalance(acc, 100 - 10 * 3));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", equalTo(true));
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> dbPassword;

    private void sql(String statement) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, dbUser, dbPassword.orElse(""))) {
            c.createStatement().execute(statement);
        }
    }

    @Test
    void aDebitTheDatabaseRefusesFailsAloneAndItsSharedTransactionsNeighboursAreSpentOnce() throws Exception {
        List<String> accounts = IntStream.range(0, 8).mapToObj(i -> account()).toList();
        for (String acc : accounts) {
            topup(acc, UUID.randomUUID(), 100, UUID.randomUUID().toString());
        }
        accounts.forEach(acc -> awaitBalance(acc, 100));
        sql("CREATE OR REPLACE FUNCTION refuse_marked_debit() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.reason = 'refused by the test' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        sql("CREATE TRIGGER refuse_marked_debit BEFORE INSERT ON ledger_entry FOR EACH ROW EXECUTE FUNCTION refuse_marked_debit()");
        try {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(32);
            List<CompletableFuture<Integer>> good = new java.util.ArrayList<>();
            List<CompletableFuture<Integer>> refused = new java.util.ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (String acc : accounts) {
                    good.add(CompletableFuture.supplyAsync(() -> debit(acc, 2, UUID.randomUUID().toString()).statusCode(), pool));
                }
                String acc = accounts.get(round);
                refused.add(CompletableFuture.supplyAsync(() -> given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                        .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                        .body("{\"amount\":5,\"reason\":\"refused by the test\"}").post("/accounts/{id}/credits/debits", acc).statusCode(), pool));
            }
            good.forEach(f -> assertEquals(201, f.join()));
            refused.forEach(f -> assertEquals(500, f.join()));
            pool.shutdown();
        } finally {
            sql("DROP TRIGGER refuse_marked_debit ON ledger_entry");
        }
        accounts.forEach(acc -> awaitBalance(acc, 100 - 8 * 2)); // every good debit once, nothing of the refused ones
        for (String acc : accounts) { // no connection was handed back inside a failed transaction
            debit(acc, 1, null).then().statusCode(201);
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/ledger/check")
                .then().statusCode(200).body("holds", equalTo(true));
    }
}
