package dev.tally.localstack;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) in its own JVM, from the
 * Maven Central jars in target/kafka-libs. Its own JVM, not in-process: the launcher stays small, the
 * broker keeps its own logging and versions, and it can be stopped and killed like any server.
 */
public final class KafkaBroker {
    public static final String SERVER_PROPERTIES = "server.properties";

    private KafkaBroker() {
    }

    /** Writes the config, formats the storage once, then launches {@code kafka.Kafka}. */
    public static Process start(StackHome home, RunningStack stack) throws IOException, InterruptedException {
        Path dir = home.kafka();
        Path data = dir.resolve("data");
        Path props = dir.resolve(SERVER_PROPERTIES);
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(props, serverProperties(data));
        Files.writeString(log4j, log4jConfig(home.log(OwnedProcesses.KAFKA)));
        String java = LocalStack.javaExecutable();
        String cp = home.kafkaLibs().resolve("*").toString();
        String log4jFlag = "-Dlog4j2.configurationFile=" + log4j;
        if (!Files.exists(data.resolve("meta.properties"))) {
            deleteTree(data); // a half-formatted directory from an interrupted first run
            Process format = new ProcessBuilder(java, log4jFlag, "-cp", cp, "kafka.tools.StorageTool", "format",
                    "--standalone", "-t", Uuid.randomUuid().toString(), "-c", props.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(home.log(OwnedProcesses.KAFKA).toFile()))
                    .start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException("kafka storage format failed, see " + home.log(OwnedProcesses.KAFKA));
            }
        }
        return stack.launch(OwnedProcesses.KAFKA, List.of(java, "-Xmx512m", "-Xms128m", log4jFlag,
                "-Djava.awt.headless=true", "-cp", cp, "kafka.Kafka", props.toString()), Map.of(), dir);
    }

    static String serverProperties(Path data) {
        return "# Written by dev.tally.localstack.KafkaBroker on every ./tally up; edits are overwritten.\n"
                + serverProperties(data, StackConfig.KAFKA_PORT, StackConfig.KAFKA_CONTROLLER_PORT);
    }

    /** A single KRaft node (broker and controller) on 127.0.0.1; the e2e fault suite runs one on its own ports. */
    public static String serverProperties(Path data, int broker, int controller) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3", // 50 by default: slow first start for no gain here
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "");
    }

    static String log4jConfig(Path logFile) {
        return String.join("\n",
                "status = warn",
                "appender.file.type = File",
                "appender.file.name = FILE",
                "appender.file.fileName = " + logFile,
                "appender.file.append = true",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = FILE",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = WARN",
                "");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
