package dev.tally.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What starting a service as an OS process needs: a free port, and waiting until it reports ready. */
public final class Processes {
    private Processes() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code url}'s readiness every 250 ms until it answers 200 (true), {@code within} passes or
     * {@code alive} turns false (false).
     */
    public static boolean awaitReady(String url, Duration within, BooleanSupplier alive) {
        return awaitReady(url, within, Duration.ofMillis(250), alive);
    }

    /** As above, polling every {@code every} (a start-up timing polls more often). */
    public static boolean awaitReady(String url, Duration within, Duration every, BooleanSupplier alive) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return false;
    }
}
