package dev.tally.e2e.faults;

import dev.tally.e2e.Suite.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The four packaged services as OS processes: started, killed with SIGKILL and started again on the same port. */
final class FaultServices {
    private final Path root;
    private final Path logs;
    private final Map<Service, Map<String, String>> environments = new EnumMap<>(Service.class);
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FaultServices(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
    }

    void configure(Service s, Map<String, String> env) {
        environments.put(s, env);
    }

    String url(Service s) {
        return "http://127.0.0.1:" + environments.get(s).get("QUARKUS_HTTP_PORT");
    }

    void start(Service s) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", root.resolve(s.module()).resolve("target/quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logs.resolve(s.module() + ".log").toFile()));
        builder.environment().putAll(environments.get(s));
        try {
            processes.put(s, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + s.module(), e);
        }
    }

    /** kill -9: no shutdown hook, no drained requests, no committed offsets beyond those already committed. */
    void kill(Service s) throws InterruptedException {
        Process p = processes.get(s);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until the service answers ready (bounded). */
    void awaitReady(Service s, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes.get(s).isAlive()) {
                throw new IllegalStateException(s.module() + " exited, see " + logs.resolve(s.module() + ".log"));
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(s.module() + " not ready within " + atMost + ", see " + logs.resolve(s.module() + ".log"));
    }

    /** Waits until the service's HTTP port answers at all (readiness may report the broker while it is down). */
    void awaitListening(Service s, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/live")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(s.module() + " not listening within " + atMost);
    }

    void stopAll() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
