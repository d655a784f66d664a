package dev.tally.backbone.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code code} is the stable, machine-readable reason clients switch
 * on; {@code errors} names each bad field of a request.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A bad field: its path ({@code prices[0].currency}), a stable code where there is one, and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String code, String message) {
        public FieldError(String field, String message) {
            this(field, null, message);
        }
    }

    /** 400 {@code invalid_request} listing every bad field at once. */
    public static Problem invalidFields(List<FieldError> errors) {
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b)
                .orElse("The request is not valid.");
        return of(400, "invalid_request", detail, errors);
    }

    public static Problem of(int status, String code, String detail) {
        return new Problem("https://tally.dev/problems/" + code, title(status), status, detail, code, List.of());
    }

    public static Problem of(int status, String code, String detail, List<FieldError> errors) {
        return new Problem("https://tally.dev/problems/" + code, title(status), status, detail, code, errors);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
