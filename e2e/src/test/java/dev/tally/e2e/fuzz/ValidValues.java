package dev.tally.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.e2e.fuzz.Operations.Operation;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A well-formed value for a schema, the starting point each mutation breaks in one place. Codes name
 * nothing that exists ({@code fuzz-none}), so a request that a mutation fails to spoil is refused as
 * not found rather than applied; the account is the fuzz's target account.
 */
final class ValidValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final Operation op;
    private final Random random;

    ValidValues(Operation op, Random random) {
        this.op = op;
        this.random = random;
    }

    String param(String name, JsonNode schema, String account) {
        if (name.equals("accountId")) {
            return account;
        }
        if (name.equals("code") || name.equals("from") || name.equals("to")) {
            return op.method().equals("GET") ? "pro" : "fuzz-none";
        }
        JsonNode value = value(name, schema, 0);
        return value.isTextual() ? value.asText() : value.toString();
    }

    JsonNode value(String name, JsonNode schema, int depth) {
        JsonNode s = op.resolve(schema);
        if (s == null || s.isMissingNode() || depth > 6) {
            return NODES.textNode("fuzz");
        }
        for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
            for (JsonNode alternative : s.path(combinator)) {
                JsonNode a = op.resolve(alternative);
                if (!"null".equals(a.path("type").asText())) {
                    return value(name, a, depth + 1);
                }
            }
        }
        if (s.has("enum")) {
            JsonNode values = s.get("enum");
            return values.get(random.nextInt(values.size()));
        }
        String type = s.path("type").isArray() ? s.path("type").get(0).asText() : s.path("type").asText("object");
        return switch (type) {
            case "integer" -> NODES.numberNode(s.has("minimum") ? Math.max(1, s.get("minimum").asLong()) : 1);
            case "number" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(false);
            case "array" -> NODES.arrayNode().add(value(name, s.path("items"), depth + 1));
            case "object" -> object(s, depth);
            default -> NODES.textNode(text(name, s));
        };
    }

    private ObjectNode object(JsonNode s, int depth) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            out.set(p.getKey(), value(p.getKey(), p.getValue(), depth + 1));
        }
        return out;
    }

    private String text(String name, JsonNode s) {
        String n = name.toLowerCase(Locale.ROOT);
        String format = s.path("format").asText();
        if (format.equals("date-time") || n.endsWith("at")) {
            return "2031-03-10T12:00:00Z";
        }
        if (format.equals("uuid") || n.endsWith("id") && !n.equals("accountid")) {
            return UUID.randomUUID().toString();
        }
        if (n.contains("email")) {
            return "fuzz@example.com";
        }
        if (n.endsWith("url")) {
            return "https://example.com/fuzz";
        }
        if (n.equals("currency")) {
            return "USD";
        }
        if (n.endsWith("code")) {
            return "fuzz-none";
        }
        return "fuzz";
    }

    /** Every field of a body, as the paths a mutation may pick ({@code prices/0/currency}). */
    static void leaves(JsonNode node, String at, java.util.List<String> out) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> {
                out.add(at + "/" + f);
                leaves(o.get(f), at + "/" + f, out);
            });
        } else if (node instanceof ArrayNode a && !a.isEmpty()) {
            leaves(a.get(0), at + "/0", out);
        }
    }
}
