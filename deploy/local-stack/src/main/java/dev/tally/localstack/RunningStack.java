package dev.tally.localstack;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code up} started, and the order to stop it in: the services first (so none of
 * them logs errors about a vanished broker or database), then Kafka, then PostgreSQL. Used by the
 * shutdown hook (Ctrl-C, SIGTERM from {@code ./tally down}) and by a failed start.
 */
public final class RunningStack {
    private static final Path SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
            .filter(Files::isExecutable).findFirst().orElse(null);

    private final StackHome home;
    private final PidFiles pids;
    private final Map<String, Process> children = new LinkedHashMap<>();
    private Postgres postgres;
    private boolean stopping;

    public RunningStack(StackHome home) {
        this.home = home;
        this.pids = new PidFiles(home.run());
    }

    public PidFiles pids() {
        return pids;
    }

    /**
     * Starts a child with its output appended to its log and records its pid at once. With setsid
     * the child gets its own session, so Ctrl-C reaches only the launcher, which then stops the
     * children in order (setsid execs in place, so the recorded pid is the JVM's own).
     */
    public synchronized Process launch(String name, List<String> command, Map<String, String> env, Path workDir)
            throws IOException {
        if (stopping) {
            throw new IllegalStateException("the stack is stopping");
        }
        List<String> argv = new ArrayList<>();
        if (SETSID != null) {
            argv.add(SETSID.toString());
        }
        argv.addAll(command);
        Path log = home.log(name);
        Files.writeString(log, "===== ./tally up started " + name + " at " + Instant.now() + " =====\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectInput(Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        pids.write(name, process.pid());
        children.put(name, process);
        return process;
    }

    public synchronized boolean stopping() {
        return stopping;
    }

    public synchronized void postgres(Postgres pg) {
        this.postgres = pg;
    }

    /** Stops everything started so far, services first. Safe to call twice. */
    public void stopAll() {
        List<Map.Entry<String, Process>> services = new ArrayList<>();
        Process kafka;
        Postgres pg;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            children.entrySet().stream().filter(e -> TallyService.byModule(e.getKey()) != null).forEach(services::add);
            kafka = children.get(OwnedProcesses.KAFKA);
            pg = postgres;
        }
        if (!services.isEmpty()) {
            System.out.println("Stopping services...");
            services.forEach(e -> e.getValue().destroy()); // SIGTERM to all at once: they stop in parallel
            for (Map.Entry<String, Process> e : services) {
                if (ProcessStopper.terminate(e.getValue().toHandle(), Duration.ofSeconds(20))) {
                    System.out.println("  " + e.getKey() + " did not stop within 20 s: killed");
                }
                pids.delete(e.getKey());
            }
        }
        if (kafka != null) {
            System.out.println("Stopping Kafka...");
            ProcessStopper.terminate(kafka.toHandle(), Duration.ofSeconds(30));
            pids.delete(OwnedProcesses.KAFKA);
        }
        if (pg != null && pg.embedded()) {
            System.out.println("Stopping PostgreSQL...");
            pg.stop();
            pids.delete(OwnedProcesses.POSTGRES);
        }
        System.out.println("Tally stopped.");
    }
}
