package dev.tally.backbone.idempotency;

import dev.tally.backbone.problem.ProblemException;
import jakarta.ws.rs.core.Response;

/** What a state-changing request answered: its status and JSON body, kept to replay for a repeated key. */
public record StoredResponse(int status, String body, boolean replayed) {
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    public Response toResponse() {
        Response.ResponseBuilder builder = Response.status(status)
                .type(status >= 400 ? "application/problem+json" : "application/json")
                .entity(body);
        if (replayed) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.build();
    }

    /** The stored answer to replay for a key claimed before; a problem when it is still running or held another request. */
    static StoredResponse replay(String requestHash, String state, Integer status, String body, String hash) {
        if (requestHash == null) {
            throw ProblemException.conflict("idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.");
        }
        if (!hash.equals(requestHash)) {
            throw ProblemException.unprocessable("idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.");
        }
        if ("RUNNING".equals(state)) {
            throw ProblemException.conflict("idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.");
        }
        return new StoredResponse(status, body, true);
    }

}
