package dev.tally.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Waits for every service's /q/health/ready to answer 200, which in Tally means its database check
 * passes (not the broker's), not just that the port is open. Fails fast if a service process exits.
 */
public final class Readiness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Readiness() {
    }

    /** Null when all are ready, else a sentence naming the first service that failed and why. */
    public static String awaitAll(Map<TallyService, Process> services, Duration timeout) throws InterruptedException {
        Map<TallyService, Process> pending = new LinkedHashMap<>(services);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isAlive()) {
                    return e.getKey().module() + " exited with code " + e.getValue().exitValue() + " before it was ready";
                }
                if (isReady(e.getKey())) {
                    System.out.println("  " + e.getKey().module() + " ready");
                    it.remove();
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                return pending.keySet().iterator().next().module() + " was not ready within " + timeout.toSeconds() + " s";
            }
            Thread.sleep(500);
        }
        return null;
    }

    public static boolean isReady(TallyService service) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
