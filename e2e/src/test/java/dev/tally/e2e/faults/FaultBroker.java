package dev.tally.e2e.faults;

import dev.tally.localstack.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * The fault suite's Kafka: a single KRaft node in its own JVM, from the jars {@code deploy/local-stack}
 * copies to {@code target/kafka-libs} (Kafka's own versions, as {@code ./tally up} runs it), on a port and
 * log directory that survive it, so that {@link #kill()} (SIGKILL) and {@link #start()} make a real outage.
 */
final class FaultBroker {
    private final Path root;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path log;
    private Process process;

    FaultBroker(Path root, Path dir, int port, int controllerPort, Path log) {
        this.root = root;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.log = log;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        Path libs = root.resolve("deploy/local-stack/target/kafka-libs");
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException(libs + " is missing: ./mvnw -B verify packages deploy/local-stack first");
        }
        Path props = dir.resolve("server.properties");
        Path data = dir.resolve("data");
        if (!Files.exists(props)) {
            Files.createDirectories(dir);
            Files.writeString(props, KafkaBroker.serverProperties(data, port, controllerPort));
            Process format = java(libs, "kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                    "-c", props.toString());
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("kafka storage format failed, see " + log);
            }
        }
        process = java(libs, "kafka.Kafka", props.toString());
        long deadline = System.currentTimeMillis() + 90_000;
        while (!listening()) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                throw new IllegalStateException("the fault suite's broker did not start, see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** SIGKILL: no clean shutdown, no flush, open connections reset. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process java(Path libs, String... main) throws IOException {
        var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Xms128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + log4j(),
                "-cp", libs.resolve("*").toString()));
        command.addAll(List.of(main));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
    }

    private String log4j() {
        Path file = dir.resolve("log4j2.properties");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, String.join("\n", "status = warn", "appender.console.type = Console",
                        "appender.console.name = OUT", "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = [%d] %p %m (%c)%n", "rootLogger.level = WARN",
                        "rootLogger.appenderRef.console.ref = OUT", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }
}
