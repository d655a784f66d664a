package dev.tally.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The operations of the services' OpenAPI documents that take a body or parameters: what the fuzz sends requests to. */
final class Operations {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One parameter: where it goes ({@code path}, {@code query}, {@code header}), its name, schema and whether it must be there. */
    record Param(String in, String name, JsonNode schema, boolean required) {
    }

    /** One operation of one service; {@code body} is the request body's JSON schema, or null. */
    record Operation(String service, String baseUrl, String method, String path, List<Param> params, JsonNode body, JsonNode document) {
        String name() {
            return service + " " + method + " " + path;
        }

        boolean onAccount() {
            return path.startsWith("/accounts/{accountId}");
        }

        /** The schema {@code node} stands for, its {@code $ref} followed. */
        JsonNode resolve(JsonNode node) {
            JsonNode n = node;
            for (int i = 0; n != null && n.has("$ref") && i < 10; i++) {
                String ref = n.get("$ref").asText();
                n = document.at(ref.substring(1));
            }
            return n;
        }
    }

    private Operations() {
    }

    /**
     * The operations to fuzz, by service ({@code documents}: name to JSON document, {@code urls}: name to
     * base URL). The dev/test clock ({@code /admin/clock}) is left out: moving the time is its purpose.
     */
    static List<Operation> of(Map<String, String> documents, Map<String, String> urls) {
        List<Operation> out = new ArrayList<>();
        documents.forEach((service, text) -> {
            JsonNode doc;
            try {
                doc = JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                if (path.getKey().startsWith("/admin/clock")) {
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (!List.of("get", "post", "put", "delete", "patch").contains(op.getKey())) {
                        continue;
                    }
                    List<Param> params = new ArrayList<>();
                    for (JsonNode p : op.getValue().path("parameters")) {
                        params.add(new Param(p.get("in").asText(), p.get("name").asText(), p.path("schema"), p.path("required").asBoolean()));
                    }
                    JsonNode body = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
                    Operation operation = new Operation(service, urls.get(service), op.getKey().toUpperCase(), path.getKey(), params,
                            body.isMissingNode() ? null : body, doc);
                    if (operation.body() != null || !params.isEmpty()) {
                        out.add(operation);
                    }
                }
            }
        });
        return out;
    }
}
