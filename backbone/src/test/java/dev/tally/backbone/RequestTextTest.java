package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** NUL bytes, bad UTF-8, bad ids and over-long requests: a 4xx problem+json naming where, never a 500 or a bare answer. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class RequestTextTest {
    private static final String ADMIN = TestTokens.bearer(TestTokens.admin());

    /** Sends {@code request} as raw bytes and returns the status line, headers and body as read. */
    static String raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                read.write(buffer, 0, n);
                String soFar = read.toString(StandardCharsets.ISO_8859_1);
                int end = soFar.indexOf("\r\n\r\n");
                if (end > 0 && soFar.contains("}") ) {
                    break;
                }
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    static byte[] get(String target, String... headers) {
        StringBuilder r = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + ADMIN
                + "\r\nConnection: close\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        return r.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static void assertProblem(String response, int status, String code, String field) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response);
        assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
        assertTrue(response.contains("\"code\":\"" + code + "\""), response);
        if (field != null) {
            assertTrue(response.contains("\"field\":\"" + field + "\""), response);
        }
    }

    @Test
    void aNulOrBadUtf8InThePathOrQueryIs400NamingWhere() throws IOException {
        assertProblem(raw(get("/accounts/%00/notes")), 400, "invalid_request", "path");
        assertProblem(raw(get("/accounts/acc%C3%28/notes")), 400, "invalid_request", "path");
        assertProblem(raw(get("/accounts/acc-a/notes?limit=%00")), 400, "invalid_request", "limit");
        assertProblem(raw(get("/accounts/acc-a/notes?from=%FF")), 400, "invalid_request", "from");
    }

    @Test
    void aControlCharacterInAHeaderIsRefusedByTheServerBeforeAnyRoute() throws IOException {
        // Netty refuses these itself, with a bare 400 that Quarkus gives no hook to reshape (README: Errors)
        for (String value : new String[] {"a\u0000b", "a\u0001b", "a\u007fb"}) {
            String response = raw(get("/accounts/acc-a/notes", "X-Note: " + value));
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
        }
    }

    @Test
    void aPathIdOutsideThePatternIs400NamingTheParameterAndReachesNothing() {
        for (String id : new String[] {"acc\"1", "acc'1", "acc 1", "-acc", "a".repeat(129), "acc\u00e9"}) {
            given().header("Authorization", ADMIN).get("/accounts/{id}/notes", id).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                    .body("errors[0].field", equalTo("accountId"));
        }
        given().header("Authorization", ADMIN).get("/accounts/{id}/notes", "acc-1.x_y:z@w").then().statusCode(200);
        given().header("Authorization", ADMIN).get("/accounts/{id}/notes", "a".repeat(128)).then().statusCode(200);
    }

    @Test
    void aNulInAJsonStringIsRefusedAndNothingIsStored() {
        given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig().defaultContentCharset("UTF-8")))
                .header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"text\":\"a\\u0000\",\"amount\":1}").post("/accounts/{id}/notes", "acc-nul").then()
                .statusCode(400).body("errors[0].field", equalTo("text"));
        given().header("Authorization", ADMIN).get("/accounts/{id}/notes", "acc-nul").then().body("$", hasSize(0));
    }

    @Test
    void anOverLongUriIs414AndOverLargeHeadersAre431AsProblems() throws IOException {
        assertProblem(raw(get("/accounts/" + "a".repeat(9000) + "/notes")), 414, "uri_too_long", null);
        assertProblem(raw(get("/accounts/acc-a/notes", "X-Big: " + "b".repeat(20_000))), 431, "headers_too_large", null);
    }

    @Test
    void aRefusalOfTheWebLayerItselfIsAProblem() throws IOException {
        // a target that is not a path: the router fails the request before any resource, without a body of its own
        byte[] request = "OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(raw(request), 404, "not_found", null);
    }

    @Test
    void anOverLargeBodyIs413AsAProblem() {
        String body = "{\"text\":\"" + "x".repeat(1_100_000) + "\",\"amount\":1}";
        var response = given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(body)
                .post("/accounts/{id}/notes", "acc-big");
        assertEquals(413, response.statusCode(), response.asString());
        response.then().contentType("application/problem+json").body("code", equalTo("payload_too_large"));
    }
}
