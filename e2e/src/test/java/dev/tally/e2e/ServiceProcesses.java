package dev.tally.e2e;

import dev.tally.e2e.Suite.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's operating-system processes: each packaged service's JVM with the environment the suite
 * gave it, the extra scheduler replicas, killing and restarting one, and stopping them all at the end.
 */
final class ServiceProcesses {
    private final Path root;
    private final Path logs;
    private final Map<Service, Map<String, String>> environments = new EnumMap<>(Service.class);
    private final List<String> extraSchedulers = new ArrayList<>();
    private final Map<String, Process> extraProcesses = new HashMap<>();
    private final Map<Service, Process> serviceProcesses = new EnumMap<>(Service.class);
    private final List<Process> processes = new ArrayList<>();

    ServiceProcesses(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
    }

    private Path jar(Service s) {
        return root.resolve(s.module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Launches one service's packaged jar with {@code env}, kept for its restarts and replicas. */
    void start(Service s, Map<String, String> env) {
        environments.put(s, env);
        serviceProcesses.put(s, launch(jar(s), env, s.module));
    }

    /** The extra scheduler replicas' addresses. */
    List<String> extraSchedulers() {
        return extraSchedulers;
    }

    /** Starts one more billing-scheduler process on the same database and broker; returns its address once ready. */
    String startSchedulerReplica() {
        int port = Processes.freePort();
        Map<String, String> env = new HashMap<>(environments.get(Service.SCHEDULER));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        String name = "billing-scheduler-" + (extraSchedulers.size() + 2);
        Process p = launch(jar(Service.SCHEDULER), env, name);
        String url = "http://127.0.0.1:" + port;
        awaitReady(url, name);
        extraSchedulers.add(url);
        extraProcesses.put(url, p);
        return url;
    }

    /** Stops the extra scheduler replicas (the suite's own scheduler keeps running). */
    void stopSchedulerReplicas() {
        for (String url : List.copyOf(extraSchedulers)) {
            Process p = extraProcesses.remove(url);
            p.destroy();
            try {
                p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processes.remove(p);
            extraSchedulers.remove(url);
        }
    }

    /** See {@link Suite#restart(Service, Map, String, Duration)}; {@code url} is the service's address. */
    Duration restart(Service s, String url, Map<String, String> overrides, String logSuffix, Duration poll) {
        Process old = serviceProcesses.remove(s);
        try {
            old.destroyForcibly().waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        processes.remove(old);
        Map<String, String> env = new HashMap<>(environments.get(s));
        env.putAll(overrides);
        long started = System.nanoTime();
        serviceProcesses.put(s, launch(jar(s), env, s.module + "-" + logSuffix));
        if (!Processes.awaitReady(url, Duration.ofMinutes(3), poll, () -> true)) {
            throw new IllegalStateException(s.module + " did not become ready; see " + logs.resolve(s.module + "-" + logSuffix + ".log"));
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The operating system's id of one service's process. */
    long pid(Service s) {
        return serviceProcesses.get(s).pid();
    }

    private Process launch(Path jar, Map<String, String> env, String name) {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:+UseSerialGC"));
        String extra = System.getProperty("tally.e2e.service-jvm", "").trim(); // e.g. profiling or GC-logging options
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        try {
            Process p = builder.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    void awaitReady(String url, String name) {
        if (!Processes.awaitReady(url, Duration.ofMinutes(3), () -> true)) {
            throw new IllegalStateException(name + " did not become ready; see " + logs.resolve(name + ".log"));
        }
    }

    /**
     * At the end of the test JVM: a kill, not a graceful stop. Nothing is asserted after it, and a
     * graceful stop took the services up to 20 s (each consumer leaving its group is one more rebalance)
     * that the next JVM of the build waited for.
     */
    void stop() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
