package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class HttpConventionsTest {

    private static String account() {
        return "acc-" + UUID.randomUUID();
    }

    private static Response post(String accountId, String key, String body) {
        var request = given().header("Authorization", TestTokens.bearer(TestTokens.account(accountId)))
                .contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/accounts/{id}/notes", accountId);
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysTheStoredResponseAndChangesNothing() {
        String acc = account();
        String key = UUID.randomUUID().toString();
        Response first = post(acc, key, "{\"text\":\"hello\",\"amount\":3}");
        first.then().statusCode(201).header("Idempotent-Replayed", (String) null);
        Response second = post(acc, key, "{\"text\":\"hello\",\"amount\":3}");
        second.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), second.asString());
        given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/notes", acc).then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String acc = account();
        String key = UUID.randomUUID().toString();
        post(acc, key, "{\"text\":\"one\",\"amount\":1}").then().statusCode(201);
        post(acc, key, "{\"text\":\"two\",\"amount\":1}").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("idempotency_key_reused"));
    }

    @Test
    void aRepeatWhileTheFirstIsStillRunningIs409() throws Exception {
        String acc = account();
        String key = UUID.randomUUID().toString();
        String body = "{\"text\":\"slow\",\"amount\":1,\"delayMs\":1500}";
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> post(acc, key, body));
        Thread.sleep(400);
        post(acc, key, body).then().statusCode(409).body("code", equalTo("idempotency_request_in_progress"));
        first.get().then().statusCode(201);
        post(acc, key, body).then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void aRefusedRequestIsReplayedAsTheSameProblemAndStoresNothing() {
        String acc = account();
        String key = UUID.randomUUID().toString();
        post(acc, key, "{\"text\":\"refuse\",\"amount\":1}").then().statusCode(402).body("code", equalTo("refused_note"));
        post(acc, key, "{\"text\":\"refuse\",\"amount\":1}").then().statusCode(402)
                .header("Idempotent-Replayed", "true").body("code", equalTo("refused_note"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .get("/accounts/{id}/notes", acc).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aTokenVerifiedOnceStaysValidButATamperedOrExpiredOneIs401() {
        String token = TestTokens.account("acc-a");
        for (int i = 0; i < 3; i++) { // verified the first time, then known
            given().header("Authorization", TestTokens.bearer(token)).get("/accounts/{id}/notes", "acc-a").then().statusCode(200);
        }
        String[] parts = token.split("\\.");
        String otherClaims = TestTokens.account("acc-b").split("\\.")[1];
        given().header("Authorization", TestTokens.bearer(parts[0] + "." + otherClaims + "." + parts[2]))
                .get("/accounts/{id}/notes", "acc-b").then().statusCode(401).body("code", equalTo("unauthenticated"));
        char last = token.charAt(token.length() - 2);
        String badSignature = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        given().header("Authorization", TestTokens.bearer(badSignature)).get("/accounts/{id}/notes", "acc-a").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer(TestTokens.expired("acc-a"))).get("/accounts/{id}/notes", "acc-a")
                .then().statusCode(401);
    }

    @Test
    void anAccountTokenCannotTouchAnotherAccount() {
        given().header("Authorization", TestTokens.bearer(TestTokens.account("acc-a")))
                .get("/accounts/{id}/notes", "acc-b")
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("account_mismatch"));
    }

    @Test
    void noTokenIs401AndABadTokenIs401() {
        given().get("/accounts/{id}/notes", "acc-a").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("unauthenticated"));
        given().header("Authorization", "Bearer not.a.jwt").get("/accounts/{id}/notes", "acc-a")
                .then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void aValidationErrorNamesTheFieldAndChangesNothing() {
        String acc = account();
        post(acc, null, "{\"text\":\"\",\"amount\":-1}").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("amount", "text"));
        given().header("Authorization", TestTokens.bearer(TestTokens.service()))
                .get("/accounts/{id}/notes", acc).then().body("$", hasSize(0));
    }

    @Test
    void malformedJsonWrongTypesAndMissingBodiesAre400NotA500() {
        String acc = account();
        post(acc, null, "{\"text\": \"x\", ").then().statusCode(400).body("code", equalTo("malformed_json"));
        post(acc, null, "{\"text\":\"x\",\"amount\":\"many\"}").then().statusCode(400)
                .body("code", equalTo("invalid_request")).body("errors[0].field", equalTo("amount"));
        post(acc, null, "").then().log().ifValidationFails().statusCode(400).body("code", equalTo("invalid_request"));
    }

    @Test
    void unknownRoutesAndWrongContentTypesAreProblems() {
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/no/such/route")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));
        given().header("Authorization", TestTokens.bearer(TestTokens.account("acc-x")))
                .contentType(ContentType.TEXT).body("hello").post("/accounts/{id}/notes", "acc-x")
                .then().statusCode(415).body("code", equalTo("unsupported_media_type"));
        given().header("Authorization", TestTokens.bearer(TestTokens.account("acc-x")))
                .delete("/accounts/{id}/notes", "acc-x")
                .then().statusCode(405).body("code", equalTo("method_not_allowed"));
    }

    @Test
    void theClockMovesOnlyForAdminsAndOnlyWhereAdjustable() {
        given().header("Authorization", TestTokens.bearer(TestTokens.account("acc-x"))).get("/admin/clock")
                .then().statusCode(403);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .contentType(ContentType.JSON).body("{\"now\":\"2030-01-31T00:00:00Z\"}").put("/admin/clock")
                .then().statusCode(200).body("now", containsString("2030-01-31T00:00"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .contentType(ContentType.JSON).body("{\"by\":\"P1D\"}").post("/admin/clock/advance")
                .then().statusCode(200).body("now", containsString("2030-02-01T00:00"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).delete("/admin/clock")
                .then().statusCode(200).body("now", not(containsString("2030-")));
    }

    @Test
    void aFrozenClockStandsStillUntilItIsAdvancedAndRunsAgainWhenSetWithoutFreezing() throws InterruptedException {
        var admin = given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON);
        admin.body("{\"now\":\"2030-01-31T12:00:00Z\",\"frozen\":true}").put("/admin/clock")
                .then().statusCode(200).body("now", equalTo("2030-01-31T12:00:00Z")).body("frozen", equalTo(true));
        Thread.sleep(50);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/clock")
                .then().statusCode(200).body("now", equalTo("2030-01-31T12:00:00Z")).body("frozen", equalTo(true));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"by\":\"PT1.5S\"}").post("/admin/clock/advance")
                .then().statusCode(200).body("now", equalTo("2030-01-31T12:00:01.500Z")).body("frozen", equalTo(true));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).contentType(ContentType.JSON)
                .body("{\"now\":\"2030-01-31T12:00:00Z\"}").put("/admin/clock")
                .then().statusCode(200).body("frozen", equalTo(false));
        Thread.sleep(50);
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).get("/admin/clock")
                .then().statusCode(200).body("now", not(equalTo("2030-01-31T12:00:00Z"))).body("now", containsString("2030-01-31T12:00:0"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).delete("/admin/clock")
                .then().statusCode(200).body("frozen", equalTo(false)).body("now", not(containsString("2030-")));
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentsTheProblemAnswersOfEveryOperation() {
        var openApi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertEquals("object", openApi.getString("components.schemas.Problem.type"));
        assertEquals("array", openApi.getString("components.schemas.Problem.properties.errors.type"));
        assertEquals("3.0.3", openApi.getString("openapi"));
        // a property not required may be null; one that refers to a schema gets a nullable copy of it (null among its values)
        assertEquals(true, openApi.getBoolean("components.schemas.NewNote.properties.colour.nullable"));
        assertEquals(java.util.Arrays.asList("RED", "GREEN", null), openApi.getList("components.schemas.NewNote.properties.colour.enum"));
        assertEquals((Object) null, openApi.get("components.schemas.NewNote.properties.text.nullable"), "text is required");
        java.util.Map<String, Object> paths = openApi.getMap("paths");
        @SuppressWarnings("unchecked")
        var responses = (java.util.Map<String, java.util.Map<String, Object>>) ((java.util.Map<String, Object>)
                ((java.util.Map<String, Object>) paths.get("/accounts/{accountId}/notes")).get("post")).get("responses");
        // it takes an Idempotency-Key: the key's own refusals are documented, as problems
        assertTrue(String.valueOf(responses.get("409").get("description")).contains("idempotency_request_in_progress"));
        assertTrue(String.valueOf(responses.get("422").get("description")).contains("idempotency_key_reused"));
        for (String status : new String[] {"400", "401", "403", "409", "413", "415", "422", "500", "503"}) {
            assertEquals("{application/problem+json={schema={$ref=#/components/schemas/Problem}}}",
                    String.valueOf(responses.get(status).get("content")), status);
        }
    }
}
