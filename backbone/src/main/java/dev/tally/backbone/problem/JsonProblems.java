package dev.tally.backbone.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tally.backbone.input.StrictJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The 400 for a body Jackson refused, naming where: the field ({@code amount}, {@code prices[0].currency})
 * for a value of the wrong type, format or enum, or a key sent twice; {@code body} for a document that
 * is not JSON or has something after its end.
 */
final class JsonProblems {
    private JsonProblems() {
    }

    static Problem of(JsonProcessingException e) {
        if (e instanceof JsonParseException parse && String.valueOf(parse.getOriginalMessage()).startsWith("Duplicate field")) {
            return invalid(duplicated(parse), "duplicate_key", "appears more than once in its object");
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty() && !original.startsWith("Trailing token")) {
            return invalid(fieldOf(mapping), errorCode(mapping), message(mapping));
        }
        String why = original.startsWith("Trailing token") ? "has content after the end of the JSON document"
                : "is not valid JSON: " + original.lines().findFirst().orElse("");
        return Problem.of(400, "malformed_json", "body " + why, List.of(new Problem.FieldError("body", "malformed_json", why)));
    }

    private static Problem invalid(String field, String code, String message) {
        return Problem.of(400, "invalid_request", field + ": " + message, List.of(new Problem.FieldError(field, code, message)));
    }

    private static String fieldOf(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
    }

    /** The path of the key the parser saw twice: its context holds the key and, above it, where it sits. */
    private static String duplicated(JsonParseException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null) {
            return "body";
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                path.insert(0, (path.isEmpty() || path.charAt(0) == '[' ? "" : ".")).insert(0, c.getCurrentName());
            } else if (c.inArray()) {
                path.insert(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String errorCode(JsonMappingException e) {
        if (unreadable(e)) {
            return "malformed_json";
        }
        if (e instanceof StrictJson.NulInString) {
            return "nul_character";
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return "unknown_value";
        }
        return "wrong_type";
    }

    /** Bytes that are not JSON inside a value (bad UTF-8 in a string, for one): the parser's failure, wrapped with the path. */
    private static boolean unreadable(JsonMappingException e) {
        return e.getCause() instanceof com.fasterxml.jackson.core.exc.StreamReadException
                && !(e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException);
    }

    private static String message(JsonMappingException e) {
        if (unreadable(e)) {
            String why = ((JsonProcessingException) e.getCause()).getOriginalMessage();
            return "is not valid JSON text: " + (why == null ? "" : why.lines().findFirst().orElse(""));
        }
        if (e instanceof StrictJson.NulInString) {
            return e.getOriginalMessage();
        }
        if (e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
            return "is out of range for this field";
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (target == null) {
            return "has the wrong type or format";
        }
        if (target.isEnum()) {
            return "must be one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class
                || target == Short.class || target == short.class || target == BigInteger.class) {
            return "must be an integer (a JSON number without a fraction, in range)";
        }
        if (target == BigDecimal.class || target == Double.class || target == double.class || target == Float.class
                || target == float.class) {
            return "must be a JSON number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (target == String.class) {
            return "must be a JSON string";
        }
        if (Temporal.class.isAssignableFrom(target)) {
            return "must be an ISO-8601 string such as 2030-01-31T00:00:00Z";
        }
        return "has the wrong type or format";
    }
}
