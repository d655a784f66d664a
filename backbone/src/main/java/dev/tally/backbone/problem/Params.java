package dev.tally.backbone.problem;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads query and path parameters that JAX-RS would otherwise turn into a bare 404 when they do
 * not convert (its rule for query parameters): here a bad value is a 400 naming the parameter.
 */
public final class Params {
    private Params() {
    }

    public static <E extends Enum<E>> E enumOf(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidField(name, "is required");
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(name, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    public static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidField(name, "is required");
        }
        return value;
    }
}
