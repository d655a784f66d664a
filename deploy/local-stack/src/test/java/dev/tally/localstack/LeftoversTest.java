package dev.tally.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a crash, pids on record may have been reused by unrelated processes: those survive. */
class LeftoversTest {

    @Test
    void recycledPidsAreLeftAloneAndStalePostmasterPidIsRemoved(@TempDir Path root) throws Exception {
        StackHome home = new StackHome(root).createDirectories();
        Process stranger = new ProcessBuilder("sleep", "30").start();
        try {
            PidFiles pids = new PidFiles(home.run());
            pids.write("plans-service", stranger.pid());
            pids.write(OwnedProcesses.KAFKA, stranger.pid());
            pids.write(OwnedProcesses.POSTGRES, 999_999_999L);
            Path postmasterPid = home.pgData().resolve("postmaster.pid");
            Files.writeString(postmasterPid, stranger.pid() + "\n" + home.pgData() + "\n");

            List<String> stopped = Leftovers.stop(home);

            assertEquals(List.of(), stopped);
            assertTrue(stranger.isAlive(), "a process that is not ours is never signalled");
            assertFalse(Files.exists(postmasterPid), "a postmaster.pid naming a foreign process would block PostgreSQL");
            assertTrue(pids.read("plans-service").isEmpty());
            assertTrue(pids.read(OwnedProcesses.POSTGRES).isEmpty());
        } finally {
            stranger.destroyForcibly();
        }
    }
}
