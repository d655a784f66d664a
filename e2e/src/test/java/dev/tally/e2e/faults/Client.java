package dev.tally.e2e.faults;

import dev.tally.testsupport.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load's HTTP client, as a careful product backend would be: a request that got no answer
 * (connection refused or reset, a timeout, a 5xx, 409 {@code idempotency_request_in_progress}) is sent
 * again with the same Idempotency-Key and body until it is answered, within a bounded time.
 * Every address is 127.0.0.1.
 */
final class Client {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The final answer to one request; {@code status} -1 when it was never answered in time. */
    record Answer(int status, String body, int attempts) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration patience;
    final AtomicLong retries = new AtomicLong();

    Client(Duration patience) {
        this.patience = patience;
    }

    static String admin() {
        return TestTokens.admin();
    }

    static String service() {
        return TestTokens.service();
    }

    Answer post(String url, String token, String key, String json) {
        return send("POST", url, token, key, json);
    }

    Answer put(String url, String token, String json) {
        return send("PUT", url, token, null, json);
    }

    Answer get(String url, String token) {
        return send("GET", url, token, null, null);
    }

    Answer send(String method, String url, String token, String key, String json) {
        long deadline = System.nanoTime() + patience.toNanos();
        int attempts = 0;
        Answer last = new Answer(-1, "", 0);
        while (System.nanoTime() < deadline) {
            attempts++;
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token);
                if (key != null) {
                    b.header("Idempotency-Key", key);
                }
                if (json != null) {
                    b.header("Content-Type", "application/json");
                }
                b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                last = new Answer(r.statusCode(), r.body(), attempts);
                if (!unanswered(r.statusCode(), r.body())) {
                    return last;
                }
            } catch (IOException e) {
                last = new Answer(-1, e.toString(), attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(-1, "interrupted", attempts);
            }
            retries.incrementAndGet();
            sleep(150);
        }
        return new Answer(-1, last.body(), attempts);
    }

    /** 5xx, 429 and a repeat racing its own first attempt: the request has no answer yet. */
    private static boolean unanswered(int status, String body) {
        return status >= 500 || status == 429 || (status == 409 && body.contains("idempotency_request_in_progress"));
    }

    void setClock(String serviceUrl, java.time.Instant now) {
        require(put(serviceUrl + "/admin/clock", admin(), "{\"now\":\"" + now + "\"}"), "set clock");
    }

    void advanceClock(String serviceUrl, Duration by) {
        require(post(serviceUrl + "/admin/clock/advance", admin(), null, "{\"by\":\"" + by + "\"}"), "advance clock");
    }

    static Answer require(Answer a, String what) {
        if (!a.ok()) {
            throw new IllegalStateException(what + " answered " + a.status() + ": " + a.body());
        }
        return a;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
