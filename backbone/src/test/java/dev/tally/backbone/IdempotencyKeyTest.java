package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class IdempotencyKeyTest {
    private static final List<String> BAD_KEYS = List.of("", " ", "   ", "k".repeat(256), "tab\there");

    @Test
    void anEmptyBlankLongOrControlCharacterKeyIs400NamingTheHeaderAndChangesNothing() {
        String acc = "acc-" + UUID.randomUUID();
        for (String key : BAD_KEYS) {
            for (int attempt = 0; attempt < 2; attempt++) { // the same request sent twice is refused twice
                given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).header("Idempotency-Key", key)
                        .contentType(ContentType.JSON).body("{\"text\":\"once\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("code", equalTo("invalid_request")).body("errors[0].field", equalTo("Idempotency-Key"));
            }
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).get("/accounts/{id}/notes", acc)
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aKeyWithAControlCharacterIs400() throws Exception {
        // sent as raw bytes (a client library might clean the value up first); the HTTP server itself
        // refuses a control character in a header with a bare 400 before any route runs
        String acc = "acc-" + UUID.randomUUID();
        String body = "{\"text\":\"x\",\"amount\":1}";
        String request = "POST /accounts/" + acc + "/notes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: " + TestTokens.bearer(TestTokens.account(acc)) + "\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: a\u0001b\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try (var socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.service())).get("/accounts/{id}/notes", acc)
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void theKeyIsCheckedOnEveryRoute() {
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).header("Idempotency-Key", "")
                .contentType(ContentType.JSON).body("{\"by\":\"P1D\"}").post("/admin/clock/advance")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin())).header("Idempotency-Key", " ")
                .get("/admin/clock").then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        given().header("Authorization", TestTokens.bearer(TestTokens.admin()))
                .header("Idempotency-Key", "one").header("Idempotency-Key", "two")
                .contentType(ContentType.JSON).body("{\"text\":\"x\",\"amount\":1}").post("/accounts/{id}/notes", "acc-twice-keyed")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void aWellFormedKeyAndNoKeyAreAccepted() {
        String acc = "acc-" + UUID.randomUUID();
        for (String key : List.of("k".repeat(255), "order-42/ä")) {
            given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).header("Idempotency-Key", key)
                    .contentType(ContentType.JSON).body("{\"text\":\"" + key.length() + "\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                    .then().statusCode(201);
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc)))
                .contentType(ContentType.JSON).body("{\"text\":\"keyless\",\"amount\":1}").post("/accounts/{id}/notes", acc)
                .then().statusCode(201);
    }
}
