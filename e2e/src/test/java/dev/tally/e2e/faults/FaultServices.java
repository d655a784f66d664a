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
    static final int COMMIT_INTERVAL_MS = 2_000;
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
                // consumers commit what they applied every 2 s instead of 5 (the throttled strategy's period): a row
                // waits for no consumer group behind, so up to 5 s after the last record was applied; a kill still
                // leaves the records applied since the last commit to be delivered again
                "-Dmp.messaging.connector.smallrye-kafka.auto.commit.interval.ms=" + COMMIT_INTERVAL_MS,
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

    /**
     * At the end of the suite: kill -9 as well. Nothing is checked after it and the stack's state is
     * thrown away; a graceful stop took credits-service and subscriptions-service 15-20 s (each consumer
     * leaving its group is one more rebalance).
     */
    void stopAll() {
        processes.values().forEach(Process::destroyForcibly);
        for (Process p : processes.values()) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
