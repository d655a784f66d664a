package dev.tally.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.e2e.fuzz.Operations.Operation;
import dev.tally.e2e.fuzz.Operations.Param;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Builds one request for an operation: well-formed but for one mutation, chosen by the seeded random. */
final class Mutator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BAD_IDS = List.of("%00", "a%00b", "%22quoted%22", "a%20b", "a%0Ab", "%FF%FE", "..%2F..%2Fetc",
            "%C3%A9t%C3%A9", "-starts-with-dash", "x".repeat(129), "x".repeat(9_000), "%27%3B--", "a%09b", "%E2%80%AE", "a%25zz");
    private static final List<String> BAD_VALUES = List.of("%00", "abc", "-1", "0", "1.5", "99999999999999999999", "%FF", "NOT_A_VALUE",
            "x".repeat(3000), "true", "%20", "1e3");

    /** What was sent: the request and the mutation that spoils it. */
    record Request(String method, String target, Map<String, String> headers, byte[] body, String mutation) {
    }

    private final Random random;

    Mutator(Random random) {
        this.random = random;
    }

    Request next(Operation op, String account) {
        ValidValues valid = new ValidValues(op, random);
        Map<String, String> path = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Param p : op.params()) {
            switch (p.in()) {
                case "path" -> path.put(p.name(), URLEncoder.encode(valid.param(p.name(), p.schema(), account), StandardCharsets.UTF_8));
                case "query" -> query.put(p.name(), URLEncoder.encode(valid.param(p.name(), p.schema(), account), StandardCharsets.UTF_8));
                case "header" -> {
                    if (p.name().equalsIgnoreCase("Idempotency-Key")) {
                        headers.put(p.name(), UUID.randomUUID().toString());
                    }
                }
                default -> { }
            }
        }
        JsonNode body = op.body() == null ? null : valid.value("body", op.body(), 0);
        String raw = null;
        List<String> kinds = new ArrayList<>();
        if (!path.isEmpty()) {
            kinds.add("path");
        }
        if (!query.isEmpty()) {
            kinds.add("query");
        }
        if (headers.containsKey("Idempotency-Key")) {
            kinds.add("header");
        }
        if (body != null) {
            kinds.addAll(List.of("field", "field", "field", "field", "text", "text", "media"));
        }
        if (kinds.isEmpty()) {
            kinds.add("big headers");
        }
        String kind = random.nextInt(25) == 0 ? "big headers" : kinds.get(random.nextInt(kinds.size()));
        String mutation;
        String contentType = "application/json";
        switch (kind) {
            case "path" -> {
                String name = pick(new ArrayList<>(path.keySet()));
                String bad = pick(BAD_IDS);
                path.put(name, bad);
                mutation = "path " + name + "=" + abbreviate(bad);
            }
            case "query" -> {
                String name = pick(new ArrayList<>(query.keySet()));
                String bad = pick(BAD_VALUES);
                query.put(name, bad);
                mutation = "query " + name + "=" + abbreviate(bad);
            }
            case "header" -> {
                String bad = pick(List.of("", " ", "k".repeat(300), "\u00e9t\u00e9"));
                headers.put("Idempotency-Key", bad);
                mutation = "header Idempotency-Key=" + abbreviate(bad);
            }
            case "big headers" -> {
                headers.put("X-Fuzz", "h".repeat(20_000));
                mutation = "headers of 20 KiB";
            }
            case "field" -> mutation = BodyMutations.field(body, random);
            case "text" -> {
                String[] textual = BodyMutations.text(body, random);
                raw = textual[0];
                mutation = textual[1];
            }
            default -> {
                contentType = pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded"));
                mutation = "Content-Type " + contentType;
            }
        }
        String target = op.path();
        for (Map.Entry<String, String> p : path.entrySet()) {
            target = target.replace("{" + p.getKey() + "}", p.getValue());
        }
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(v));
        if (body != null) {
            headers.put("Content-Type", contentType);
        }
        byte[] bytes = body == null ? null : raw != null ? raw.getBytes(StandardCharsets.ISO_8859_1) : write(body);
        return new Request(op.method(), target + q, headers, bytes, mutation);
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "...(" + s.length() + ")" : s;
    }
}
