package dev.tally.backbone.idempotency;

import dev.tally.backbone.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the Idempotency-Key header on the raw request, before any route runs: a header that is
 * present but empty, blank, longer than 255 characters, holding control characters, or sent more
 * than once is a 400 {@code invalid_request} naming {@code Idempotency-Key}, whatever the route.
 * (A resource's {@code @HeaderParam} would see an empty value as no key at all.)
 */
public class IdempotencyKeyCheck {
    public static final String HEADER = "Idempotency-Key";

    @ServerRequestFilter(preMatching = true)
    public void check(HttpServerRequest request) {
        List<String> values = request.headers().getAll(HEADER);
        if (values.isEmpty()) {
            return;
        }
        if (values.size() > 1) {
            throw ProblemException.invalidField(HEADER, "must be sent once");
        }
        ProblemException problem = problem(values.get(0) == null ? "" : values.get(0));
        if (problem != null) {
            throw problem;
        }
    }

    /**
     * Why an Idempotency-Key cannot be used (null when it can, or when there is none): a key is 1 to
     * 255 characters, not all blank, without control characters.
     */
    public static ProblemException problem(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 255) {
            return ProblemException.invalidField(HEADER, "must be 1 to 255 characters, not blank");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            return ProblemException.invalidField(HEADER, "must not contain control characters");
        }
        return null;
    }
}
