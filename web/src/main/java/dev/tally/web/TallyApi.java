package dev.tally.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The four services' REST APIs, called from the server with the signed-in user's bearer token
 * (never from the browser). Blocking: every caller runs on a worker thread. A non-2xx answer is
 * thrown as a {@link Refusal} carrying the problem's {@code detail} and {@code code}.
 */
@ApplicationScoped
public class TallyApi {
    public enum Service { PLANS, SUBSCRIPTIONS, CREDITS, SCHEDULER }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final Map<Service, String> urls;

    public TallyApi(ObjectMapper json,
                    @ConfigProperty(name = "tally.web.plans-url") String plans,
                    @ConfigProperty(name = "tally.web.subscriptions-url") String subscriptions,
                    @ConfigProperty(name = "tally.web.credits-url") String credits,
                    @ConfigProperty(name = "tally.web.scheduler-url") String scheduler) {
        this.json = json;
        this.urls = Map.of(Service.PLANS, plans, Service.SUBSCRIPTIONS, subscriptions, Service.CREDITS, credits,
                Service.SCHEDULER, scheduler);
    }

    /** One path segment (an account id, a plan code) as typed by a user, safe inside a URL. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public <T> T get(Service s, String path, String token, TypeReference<T> type) {
        return call(s, "GET", path, token, null, null, type);
    }

    public <T> T post(Service s, String path, String token, Object body, String idempotencyKey, TypeReference<T> type) {
        return call(s, "POST", path, token, body, idempotencyKey, type);
    }

    public <T> T call(Service s, String method, String path, String token, Object body, String idempotencyKey,
                      TypeReference<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urls.get(s) + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw refusal(response);
            }
            return type == null || response.body().isEmpty() ? null : json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new Refusal(503, "service_unreachable", s.name().toLowerCase() + " could not be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "interrupted", "interrupted");
        }
    }

    private Refusal refusal(HttpResponse<String> response) {
        try {
            JsonNode problem = json.readTree(response.body());
            String code = problem.path("code").asText(null);
            String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + response.statusCode()));
            JsonNode errors = problem.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                detail = detail + ": " + errors.get(0).path("field").asText() + " " + errors.get(0).path("message").asText();
            }
            return new Refusal(response.statusCode(), code, detail);
        } catch (IOException | RuntimeException e) {
            return new Refusal(response.statusCode(), null, "HTTP " + response.statusCode());
        }
    }
}
