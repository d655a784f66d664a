package dev.tally.credits;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contracts.Events;
import dev.tally.contracts.subscriptions.TopupPurchased;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestEvents;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input to the credit routes: 400 problem+json naming the field, and the balance and holds untouched. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "credits"))
class BadInputTest {
    @Inject
    ObjectMapper json;

    private static RequestSpecification service() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service())).contentType(ContentType.JSON);
    }

    private String funded(long credits) throws Exception {
        String acc = "acc-" + UUID.randomUUID();
        TestEvents.publish(Events.TOPUP_PURCHASED, acc, acc, json.writeValueAsString(
                new TopupPurchased(UUID.randomUUID(), acc, "pack-500", credits, 500, "USD", Instant.now())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> service().get("/accounts/{id}/credits", acc)
                .then().body("available", equalTo((int) credits)));
        return acc;
    }

    private static void refused(RequestSpecification request, String method, String path, String field, Object... params) {
        request.request(method, path, params).then().log().ifValidationFails().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("errors[0].field", equalTo(field));
    }

    private static void untouched(String acc, int available) {
        service().get("/accounts/{id}/credits", acc).then().statusCode(200)
                .body("available", equalTo(available)).body("held", equalTo(0));
        service().get("/accounts/{id}/credits/ledger", acc).then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void duplicateKeysAndCoercionsAreRefusedNamingTheFieldAndTakeNothing() throws Exception {
        String acc = funded(100);
        String debits = "/accounts/{id}/credits/debits";
        String holds = "/accounts/{id}/credits/holds";
        refused(service().body("{\"amount\":1,\"reason\":\"x\",\"amount\":2}"), "POST", debits, "amount", acc);
        refused(service().body("{\"amount\":\"1\",\"reason\":\"x\"}"), "POST", debits, "amount", acc);
        refused(service().body("{\"amount\":1.5,\"reason\":\"x\"}"), "POST", debits, "amount", acc);
        refused(service().body("{\"amount\":1,\"reason\":true}"), "POST", debits, "reason", acc);
        refused(service().body("{\"amount\":1,\"reason\":\"x\\u0000\"}"), "POST", debits, "reason", acc);
        refused(service().body("{\"amount\":1,\"ttlSeconds\":60,\"reason\":\"x\",\"amount\":2}"), "POST", holds, "amount", acc);
        refused(service().body("{\"amount\":1,\"ttlSeconds\":1.5,\"reason\":\"x\"}"), "POST", holds, "ttlSeconds", acc);
        refused(service().body("{\"amount\":1,\"ttlSeconds\":60,\"reason\":\"" + "r".repeat(201) + "\"}"), "POST", holds, "reason", acc);
        service().body("{\"amount\":1,\"reason\":\"x\"}}}").post(debits, acc).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("malformed_json")).body("errors[0].field", equalTo("body"));
        untouched(acc, 100);
    }

    @Test
    void aCaptureWithDuplicateKeysOrTooLargeAnAmountIsRefusedAndTheHoldStaysOpen() throws Exception {
        String acc = funded(100);
        String id = service().body("{\"amount\":60,\"ttlSeconds\":600,\"reason\":\"render\"}")
                .post("/accounts/{id}/credits/holds", acc).then().statusCode(201).extract().path("id");
        String capture = "/accounts/{id}/credits/holds/{h}/capture";
        refused(service().body("{\"amount\":10,\"amount\":20}"), "POST", capture, "amount", acc, id);
        refused(service().body("{\"amount\":10000000000}"), "POST", capture, "amount", acc, id);
        service().body("{\"amount\":61}").post(capture, acc, id).then().statusCode(422)
                .body("code", equalTo("capture_exceeds_hold")).body("errors[0].field", equalTo("amount"));
        service().body("{\"amount\":1}").post(capture, acc, UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("hold_not_found")).body("errors[0].field", equalTo("holdId"));
        service().get("/accounts/{id}/credits", acc).then().body("available", equalTo(40)).body("held", equalTo(60));
    }

    @Test
    void aNulOrAQuoteInAnAccountIdIs400NotA500() throws Exception {
        String acc = funded(10);
        given().urlEncodingEnabled(false).header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/%00/credits").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_request")).body("errors[0].field", equalTo("path"));
        refused(service(), "GET", "/accounts/{id}/credits", "accountId", "acc\"1");
        refused(service().body("{\"amount\":1,\"reason\":\"x\"}"), "POST", "/accounts/{id}/credits/debits", "accountId", "acc'1");
        refused(service().urlEncodingEnabled(false), "GET", "/accounts/" + acc + "/credits/ledger?limit=%00", "limit");
        untouched(acc, 10);
    }
}
