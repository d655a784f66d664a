package dev.tally.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tally up}: PostgreSQL, then Kafka and the topics, then the four services, then waits
 * until each reports ready. Runs in the foreground; the shutdown hook stops it all on Ctrl-C or
 * on SIGTERM from {@code ./tally down}.
 */
public final class StackUp {

    private StackUp() {
    }

    public static int run(StackHome home, StackConfig config) throws Exception {
        long started = System.nanoTime();
        home.createDirectories();
        LaunchLock lock = LaunchLock.tryAcquire(home);
        if (lock == null) {
            System.err.println("Tally is already running (launcher pid " + LaunchLock.holder(home).orElse(-1)
                    + "). Use it, or stop it first with ./tally down.");
            return 2;
        }
        lock.recordSelf();
        rotateLogs(home);
        Files.writeString(home.run().resolve("launcher-log4j2.properties"), KafkaBroker.log4jConfig(home.log("launcher")));
        System.setProperty("log4j2.configurationFile", home.run().resolve("launcher-log4j2.properties").toString());
        for (String left : Leftovers.stop(home)) {
            System.out.println("Stopped a leftover from an earlier run: " + left);
        }
        String busy = busyPorts(config);
        if (busy != null) {
            System.err.println("Port " + busy + " is in use by a process that ./tally did not start. Free it and retry.");
            lock.close();
            return 1;
        }
        RunningStack stack = new RunningStack(home);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stopAll();
            lock.close();
        }, "tally-stop"));

        DevKeys keys = DevKeys.loadOrCreate(home.keys());
        Process kafka = null;
        if (!config.externalKafka()) {
            System.out.println("Starting Kafka on " + config.kafkaBootstrap() + "...");
            try {
                kafka = KafkaBroker.start(home, stack);
            } catch (Exception e) {
                return fail(home, stack, OwnedProcesses.KAFKA, "Kafka failed: " + e);
            }
        } else {
            System.out.println("Using Kafka at " + config.kafkaBootstrap());
        }
        System.out.println(config.externalPg() ? "Using PostgreSQL at " + config.pgHostPort()
                : "Starting PostgreSQL on 127.0.0.1:" + config.pgPort() + "...");
        try {
            Postgres postgres = Postgres.start(home, config, stack.pids());
            stack.postgres(postgres);
            List<String> databases = new ArrayList<>();
            for (TallyService s : TallyService.values()) {
                if (s.database() != null) {
                    databases.add(s.database());
                }
            }
            postgres.createDatabases(databases);
        } catch (Exception e) {
            return fail(home, stack, config.externalPg() ? "launcher" : OwnedProcesses.POSTGRES, "PostgreSQL failed: " + e);
        }

        try {
            Process broker = kafka;
            List<String> created = Topics.ensure(config.kafkaBootstrap(), 90_000, () -> broker == null || broker.isAlive());
            System.out.println("  topics ready" + (created.isEmpty() ? "" : ", created " + String.join(", ", created)));
        } catch (Exception e) {
            return fail(home, stack, OwnedProcesses.KAFKA, "Kafka did not accept the topics: " + e.getMessage()
                    + (kafka != null && !kafka.isAlive() ? " (the broker exited with code " + kafka.exitValue() + ")" : ""));
        }

        System.out.println("Starting services...");
        Map<TallyService, Process> services = new EnumMap<>(TallyService.class);
        for (TallyService s : TallyService.values()) {
            if (!config.runs(s)) {
                System.out.println("  " + s.module() + " skipped (TALLY_SKIP): start it yourself on port " + s.port());
                continue;
            }
            Path jar = home.serviceJar(s);
            if (!Files.exists(jar)) {
                return fail(home, stack, s.module(), jar + " is missing: run ./mvnw -B install -DskipTests (./tally up does it when needed)");
            }
            List<String> command = new ArrayList<>(List.of(LocalStack.javaExecutable(), "-Xmx256m"));
            command.addAll(config.serviceJvmOptions());
            command.addAll(List.of("-jar", jar.toString()));
            services.put(s, stack.launch(s.module(), command,
                    ServiceEnvironment.of(s, config, keys.publicKeyPem()), home.root().resolve(s.module())));
        }
        String failure = Readiness.awaitAll(services, Duration.ofSeconds(config.readyTimeoutSeconds()));
        if (failure != null) {
            return fail(home, stack, failure.substring(0, failure.indexOf(' ')), failure);
        }
        Banner.print(home, config, (System.nanoTime() - started) / 1e9);
        watch(home, stack, services, kafka);
        return 0;
    }

    /** Stays in the foreground, telling the user when a child dies on its own. */
    private static void watch(StackHome home, RunningStack stack, Map<TallyService, Process> services, Process kafka) throws InterruptedException {
        Set<String> reported = new HashSet<>();
        while (true) {
            Thread.sleep(2000);
            if (stack.stopping()) {
                continue; // the shutdown hook is stopping them on purpose
            }
            services.forEach((s, p) -> reportExit(home, s.module(), p, reported));
            if (kafka != null) {
                reportExit(home, OwnedProcesses.KAFKA, kafka, reported);
            }
        }
    }

    private static void reportExit(StackHome home, String name, Process p, Set<String> reported) {
        if (!p.isAlive() && reported.add(name)) {
            System.out.println(name + " exited on its own (code " + p.exitValue() + "); see "
                    + home.root().relativize(home.log(name)) + ". Restart with ./tally down && ./tally up.");
        }
    }

    private static int fail(StackHome home, RunningStack stack, String logName, String message) {
        if (stack.stopping()) {
            return 130; // Ctrl-C or ./tally down during start: not a failure worth a log tail
        }
        System.err.println("\n" + message + ". Last lines of " + home.root().relativize(home.log(logName)) + ":");
        System.err.print(Banner.tail(home.log(logName), 40));
        System.err.println("Stopping everything that was started.");
        System.exit(1); // runs the shutdown hook
        return 1;
    }

    /** Keeps the previous run's logs as {@code <name>.log.1}, so each run starts with fresh logs. */
    private static void rotateLogs(StackHome home) throws IOException {
        try (var logs = Files.list(home.logs())) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String busyPorts(StackConfig config) {
        List<Integer> ports = new ArrayList<>();
        for (TallyService s : TallyService.values()) {
            if (config.runs(s)) {
                ports.add(s.port());
            }
        }
        if (!config.externalPg()) {
            ports.add(config.pgPort());
        }
        if (!config.externalKafka()) {
            ports.addAll(List.of(StackConfig.KAFKA_PORT, StackConfig.KAFKA_CONTROLLER_PORT));
        }
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                return String.valueOf(port);
            }
        }
        return null;
    }
}
