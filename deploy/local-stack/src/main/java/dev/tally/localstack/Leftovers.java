package dev.tally.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Cleans up after a launcher that died without stopping its children (kill -9, OOM, power loss):
 * each pid on record is stopped, in the usual order, only if its command line shows it is ours.
 * Also removes a postmaster.pid whose process is gone, which would otherwise block PostgreSQL.
 */
public final class Leftovers {

    private Leftovers() {
    }

    /** Stops leftover children; returns a line per process stopped. */
    public static List<String> stop(StackHome home) {
        PidFiles pids = new PidFiles(home.run());
        List<String> stopped = new ArrayList<>();
        List<ProcessHandle> services = new ArrayList<>();
        for (TallyService s : TallyService.values()) {
            found(s.module(), pids.read(s.module()), home, stopped).ifPresent(p -> {
                p.destroy();
                services.add(p);
            });
            pids.delete(s.module());
        }
        services.forEach(p -> ProcessStopper.terminate(p, Duration.ofSeconds(20)));
        found(OwnedProcesses.KAFKA, pids.read(OwnedProcesses.KAFKA), home, stopped)
                .ifPresent(p -> ProcessStopper.terminate(p, Duration.ofSeconds(30)));
        pids.delete(OwnedProcesses.KAFKA);
        Path postmasterPid = home.pgData().resolve("postmaster.pid");
        for (OptionalLong pid : List.of(pids.read(OwnedProcesses.POSTGRES), PidFiles.readPid(postmasterPid))) {
            found(OwnedProcesses.POSTGRES, pid, home, stopped)
                    .ifPresent(p -> ProcessStopper.interrupt(p, Duration.ofSeconds(30)));
        }
        pids.delete(OwnedProcesses.POSTGRES);
        removeStalePostmasterPid(home, postmasterPid);
        return stopped;
    }

    private static Optional<ProcessHandle> found(String name, OptionalLong pid, StackHome home, List<String> log) {
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        var live = OwnedProcesses.liveAndOurs(name, pid.getAsLong(), home);
        live.ifPresent(p -> log.add(name + " (pid " + p.pid() + ")"));
        return live;
    }

    /** PostgreSQL refuses to start while postmaster.pid names a live process, even an unrelated one. */
    private static void removeStalePostmasterPid(StackHome home, Path postmasterPid) {
        OptionalLong pid = PidFiles.readPid(postmasterPid);
        if (pid.isPresent() && OwnedProcesses.liveAndOurs(OwnedProcesses.POSTGRES, pid.getAsLong(), home).isEmpty()) {
            try {
                Files.deleteIfExists(postmasterPid);
            } catch (IOException e) {
                System.err.println("could not remove stale " + postmasterPid + ": " + e.getMessage());
            }
        }
    }
}
