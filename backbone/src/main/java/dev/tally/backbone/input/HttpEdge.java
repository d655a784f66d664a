package dev.tally.backbone.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP server's edge, ahead of every route (JAX-RS, health, metrics, OpenAPI): the request's text
 * is checked ({@link RequestTextCheck}), a declared body over {@code quarkus.http.limits.max-body-size}
 * is 413 {@code payload_too_large}, and a refusal of the web layer itself (a malformed %-escape in the
 * path, for one) is a problem+json instead of a bare status. The HTTP server's own limits
 * ({@code quarkus.http.limits.max-initial-line-length} and {@code max-header-size}, 64 KiB) sit above
 * the ones checked here (8 KiB URI, 16 KiB headers), so only a request beyond those gets the server's
 * bare 414 or 431.
 */
@ApplicationScoped
public class HttpEdge {
    /** Before Quarkus's own body-size check (order -2) and after its access log and timing (MIN_VALUE). */
    static final int ORDER = -3;
    private final ObjectMapper json;
    private final long maxBody;

    public HttpEdge(ObjectMapper json, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.json = json;
        this.maxBody = maxBody.asLongValue();
    }

    void routes(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER).failureHandler(this::refusal);
    }

    private void check(RoutingContext ctx) {
        try {
            RequestTextCheck.check(ctx.request());
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaredLength(length) > maxBody) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                throw new ProblemException(Problem.of(413, "payload_too_large",
                        "The body is larger than " + maxBody + " bytes, the most this service accepts."));
            }
        } catch (ProblemException e) {
            respond(ctx, e.problem());
            return;
        }
        ctx.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1; // the server refuses a malformed Content-Length itself
        }
    }

    /** A 4xx the web layer failed the request with, before any resource ran, answered as problem+json. */
    private void refusal(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().ended() || ctx.response().headWritten() || status < 400 || status >= 500
                || ctx.failure() != null) {
            ctx.next();
            return;
        }
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        respond(ctx, switch (status) {
            case 401 -> Problem.of(401, "unauthenticated", "A valid bearer token is required.");
            case 403 -> Problem.of(403, "forbidden", "Your token's role may not do this.");
            case 404 -> Problem.of(404, "not_found", "No such resource.");
            case 405 -> Problem.of(405, "method_not_allowed", "This resource does not accept that method.");
            case 413 -> Problem.of(413, "payload_too_large", "The body is larger than this service accepts.");
            case 414 -> Problem.of(414, "uri_too_long", "The request URI is longer than this service accepts.");
            case 431 -> Problem.of(431, "headers_too_large", "The request headers are larger than this service accepts.");
            default -> Problem.of(status, "bad_request", "The request is malformed (its request line, URI or headers).");
        });
    }

    private void respond(RoutingContext ctx, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + ",\"code\":\"" + problem.code() + "\"}";
        }
        ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }
}
