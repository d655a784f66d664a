package dev.tally.backbone.idempotency;

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
}
