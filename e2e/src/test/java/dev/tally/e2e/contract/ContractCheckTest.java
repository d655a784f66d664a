package dev.tally.e2e.contract;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract check can fail: a tiny document and answers that break it, found and reported. */
class ContractCheckTest {
    private static final String SPEC = """
            {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
             "paths": {"/things/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
               "responses": {"200": {"description": "a thing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                             "404": {"description": "none", "content": {"application/problem+json": {"schema": {"type": "object", "required": ["code"]}}}}}}}},
             "components": {"schemas": {"Thing": {"type": "object", "required": ["count"],
               "properties": {"count": {"type": "integer"}, "note": {"type": "string", "nullable": true}}}}}}
            """;
    private static final String URL = "http://127.0.0.1:7001/things/t-1";
    private final OpenApiContract contract = new OpenApiContract().add("things", "http://127.0.0.1:7001", SPEC);

    @Test
    void anAnswerAsDocumentedPasses() {
        assertEquals(List.of(), contract.violations("GET", URL, 200, "application/json", "{\"count\": 3, \"note\": null}"));
        assertEquals(List.of(), contract.violations("GET", URL, 404, "application/problem+json", "{\"code\": \"not_found\"}"));
    }

    @Test
    void aBodyOfTheWrongShapeIsReported() {
        List<String> found = contract.violations("GET", URL, 200, "application/json", "{\"count\": \"three\"}");
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("GET /things/t-1 -> 200") && found.get(0).contains("count"), found.toString());
        assertTrue(!contract.violations("GET", URL, 200, "application/json", "{\"note\": \"no count\"}").isEmpty());
    }

    @Test
    void anUndocumentedStatusOrContentTypeIsReported() {
        assertTrue(contract.violations("GET", URL, 409, "application/problem+json", "{\"code\": \"x\"}").get(0).contains("status"));
        assertTrue(!contract.violations("GET", URL, 404, "application/json", "{\"code\": \"x\"}").isEmpty());
        assertTrue(!contract.violations("GET", URL, 200, "text/plain", "3").isEmpty());
    }

    @Test
    void theFilterFailsTheRequestThatGotAWrongAnswer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/things", exchange -> {
            byte[] body = "{\"count\": \"three\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Path report = Files.createTempDirectory("contract").resolve("violations.txt");
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            ContractFilter filter = new ContractFilter(new OpenApiContract().add("things", base, SPEC), report, false);
            AssertionError error = assertThrows(AssertionError.class, () -> given().filter(filter).get(base + "/things/t-1"));
            assertTrue(error.getMessage().contains("/things/t-1 -> 200"), error.getMessage());
            assertEquals(1, filter.violated());
            assertTrue(Files.readString(report).contains("count"));
        } finally {
            server.stop(0);
        }
    }
}
