package dev.tally.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Mutations of a JSON body: one field made wrong in place, or the document's text spoilt. */
final class BodyMutations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BodyMutations() {
    }

    /** Spoils one field of {@code body} in place; answers what was done. */
    static String field(JsonNode body, Random random) {
        List<String> leaves = new ArrayList<>();
        ValidValues.leaves(body, "", leaves);
        if (leaves.isEmpty()) {
            ((ObjectNode) body).put("unexpected", "x");
            return "an unknown field in an empty object";
        }
        String at = leaves.get(random.nextInt(leaves.size()));
        JsonNode parent = body.at(at.substring(0, at.lastIndexOf('/')));
        String name = at.substring(at.lastIndexOf('/') + 1);
        JsonNode current = parent instanceof ObjectNode o ? o.get(name) : ((ArrayNode) parent).get(Integer.parseInt(name));
        JsonNode bad;
        String what;
        switch (random.nextInt(11)) {
            case 0 -> {
                bad = current.isTextual() ? NODES.numberNode(7) : current.isNumber() ? NODES.textNode("7") : NODES.booleanNode(true);
                what = "wrong type";
            }
            case 1 -> {
                bad = random.nextBoolean() ? NODES.objectNode().put("x", 1) : NODES.arrayNode().add(1);
                what = "a structure for a scalar";
            }
            case 2 -> {
                if (parent instanceof ObjectNode o) {
                    o.remove(name);
                    return "missing " + at;
                }
                bad = NODES.nullNode();
                what = "null";
            }
            case 3 -> {
                bad = List.<JsonNode>of(NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(1_000_000_000_001L),
                        NODES.numberNode(new BigInteger("9223372036854775808")), NODES.numberNode(1.5), NODES.numberNode(Long.MIN_VALUE),
                        NODES.numberNode(1e300)).get(random.nextInt(7));
                what = "out of bounds " + bad;
            }
            case 4 -> {
                bad = NODES.textNode("a\u0000b");
                what = "NUL in a string";
            }
            case 5 -> {
                int size = random.nextInt(4) == 0 ? 2_000_000 : 1 + random.nextInt(100_000);
                bad = NODES.textNode("x".repeat(size));
                what = "a string of " + size;
            }
            case 6 -> {
                bad = NODES.textNode("NOT_A_VALUE");
                what = "unknown enum value";
            }
            case 7 -> {
                bad = NODES.textNode(List.of("a\u0007b", "\u202Eevil", "\uD83D\uDE00", " ", "", "a\r\nb").get(random.nextInt(6)));
                what = "control, bidi, emoji or blank text";
            }
            case 8 -> {
                bad = NODES.nullNode();
                what = "null";
            }
            case 9 -> {
                bad = NODES.textNode("2031-02-30T25:61:00Z");
                what = "an impossible instant";
            }
            default -> {
                bad = NODES.booleanNode(false);
                what = "a boolean";
            }
        }
        if (parent instanceof ObjectNode o) {
            o.set(name, bad);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(name), bad);
        }
        return what + " at " + at;
    }

    /** The body's text spoilt (as ISO-8859-1 characters, one per byte, so bytes that are not UTF-8 can be sent). */
    static String[] text(JsonNode body, Random random) {
        String json = latin1(write(body));
        return switch (random.nextInt(10)) {
            case 0 -> {
                String first = body.fieldNames().hasNext() ? body.fieldNames().next() : "amount";
                yield new String[] {json.substring(0, json.length() - 1) + (json.length() > 2 ? "," : "") + "\"" + first + "\":"
                        + (body.has(first) ? write(body.get(first)) : "1") + "}", "duplicate key " + first};
            }
            case 1 -> new String[] {json + List.of("}}}", " x", "[]", "{}", "\u0000").get(random.nextInt(5)), "trailing content"};
            case 2 -> new String[] {json.substring(0, json.length() / 2), "truncated"};
            case 3 -> new String[] {"", "empty body"};
            case 4 -> new String[] {List.of("null", "[]", "\"text\"", "42", "true").get(random.nextInt(5)), "not an object"};
            case 5 -> new String[] {json.replaceFirst("\"([^\"]*)\"", "\"\u00c3\u0028$1\""), "bytes that are not UTF-8"};
            case 6 -> new String[] {"\u00ef\u00bb\u00bf" + json, "a byte-order mark"};
            case 7 -> new String[] {"[".repeat(5000) + "]".repeat(5000), "5,000 nested arrays"};
            case 8 -> new String[] {json.replace(":", ":/*c*/"), "comments"};
            default -> new String[] {json.replace("\"", "'"), "single quotes"};
        };
    }

    private static String latin1(String utf16) {
        return new String(utf16.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
