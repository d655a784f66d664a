package dev.tally.localstack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A recycled pid must never be signalled: only command lines of this checkout's stack match. */
class OwnedProcessesTest {
    private final StackHome home = new StackHome(Path.of("/src/tally"));
    private final StackHome otherCheckout = new StackHome(Path.of("/src/other"));

    @Test
    void serviceIsOursOnlyWithThisCheckoutsJar() {
        List<String> argv = List.of("/usr/bin/java", "-Xmx256m", "-jar", "/src/tally/credits-service/target/quarkus-app/quarkus-run.jar");
        assertTrue(OwnedProcesses.isOurs("credits-service", argv, home));
        assertFalse(OwnedProcesses.isOurs("plans-service", argv, home), "another module's jar");
        assertFalse(OwnedProcesses.isOurs("credits-service", argv, otherCheckout));
        assertFalse(OwnedProcesses.isOurs("credits-service", List.of("vim", "quarkus-run.jar"), home));
    }

    @Test
    void kafkaIsOursOnlyWithOurServerProperties() {
        List<String> argv = List.of("java", "-Xmx512m", "-cp", "x/*", "kafka.Kafka", "/src/tally/.tally/kafka/server.properties");
        assertTrue(OwnedProcesses.isOurs(OwnedProcesses.KAFKA, argv, home));
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.KAFKA, argv, otherCheckout));
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.KAFKA,
                List.of("java", "kafka.Kafka", "/opt/kafka/config/server.properties"), home));
    }

    @Test
    void postgresIsOursOnlyOnOurDataDirectory() {
        List<String> argv = List.of("/tmp/embedded-pg/PG-1/bin/postgres", "-D", "/src/tally/.tally/pg", "-p", "15432");
        assertTrue(OwnedProcesses.isOurs(OwnedProcesses.POSTGRES, argv, home));
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.POSTGRES,
                List.of("/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main"), home));
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.POSTGRES, List.of("bash", "-D", "/src/tally/.tally/pg"), home));
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.POSTGRES, List.of("/x/postgres", "-D"), home));
    }

    @Test
    void launcherIsOursOnlyForThisRoot() {
        List<String> argv = List.of("java", "-Dtally.root=/src/tally", "-cp", "a", LocalStack.class.getName(), "up");
        assertTrue(OwnedProcesses.isOurs(OwnedProcesses.LAUNCHER, argv, home));
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.LAUNCHER, argv, otherCheckout));
    }

    @Test
    void emptyOrUnknown() {
        assertFalse(OwnedProcesses.isOurs(OwnedProcesses.KAFKA, List.of(), home));
        assertFalse(OwnedProcesses.isOurs("redis", List.of("redis-server"), home));
    }

    @Test
    void ownProcessCommandLineIsReadable() {
        assertFalse(OwnedProcesses.commandLine(ProcessHandle.current()).isEmpty());
    }
}
