package dev.tally.backbone.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into application/problem+json with a stable code. Bad input is always a 4xx
 * naming what is wrong; a database that cannot be reached, or a transaction that lost a race, is a
 * 503 with Retry-After ({@link DatabaseTrouble}); anything else unexpected is a 500 with a reference
 * id and no stack trace.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(Problem.invalidFields(errors));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return respond(JsonProblems.of(e));
    }

    /** More specific than Quarkus's own mappers for these, so bad JSON is a problem+json too. */
    @ServerExceptionMapper
    public Response wrongType(com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
        return respond(JsonProblems.of(e));
    }

    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return respond(JsonProblems.of(e));
    }

    @ServerExceptionMapper
    public Response unparsable(com.fasterxml.jackson.core.JsonParseException e) {
        return respond(JsonProblems.of(e));
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "forbidden", "Your token's role may not do this."));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return respond(JsonProblems.of(json));
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        return respond(switch (status) {
            case 404 -> Problem.of(404, "not_found", "No such resource.");
            case 405 -> Problem.of(405, "method_not_allowed", "This resource does not accept that method.");
            case 406 -> Problem.of(406, "not_acceptable", "This resource answers application/json only.");
            case 413 -> Problem.of(413, "payload_too_large", "The body is larger than this service accepts.");
            case 414 -> Problem.of(414, "uri_too_long", "The request URI is longer than this service accepts.");
            case 415 -> Problem.of(415, "unsupported_media_type", "Send the body as application/json.");
            case 431 -> Problem.of(431, "headers_too_large", "The request headers are larger than this service accepts.");
            case 401 -> Problem.of(401, "unauthenticated", "A valid bearer token is required.");
            case 403 -> Problem.of(403, "forbidden", "Your token's role may not do this.");
            default -> Problem.of(status, "bad_request", e.getMessage() == null ? "Bad request." : e.getMessage());
        });
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e.getCause() instanceof ProblemException problem) {
            return respond(problem.problem());
        }
        DatabaseTrouble trouble = DatabaseTrouble.of(e);
        if (trouble != null) {
            LOG.warnf("answered 503 %s: %s", trouble.code(), e);
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", trouble.retryAfterSeconds())
                    .entity(trouble.problem()).build();
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return respond(Problem.of(500, "internal_error", "Something went wrong on our side; reference " + reference + "."));
    }

    private static Response unauthenticated() {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(Problem.of(401, "unauthenticated", "A valid bearer token is required.")).build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The field a violation is about, without the method and parameter names: {@code amount}, {@code prices[0].currency}. */
    private static String fieldOf(ConstraintViolation<?> v) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (var node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> { }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.getName() == null) {
                        continue;
                    }
                    if (!field.isEmpty()) {
                        field.append('.');
                    }
                    field.append(node.getName());
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    }
                }
            }
        }
        if (!field.isEmpty()) {
            return field.toString();
        }
        return parameter != null ? parameter : "body";
    }
}
