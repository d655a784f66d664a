package dev.tally.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** {@code ./tally status}: which of the stack's processes are alive, and whether each service is ready. */
public final class StackStatus {

    private StackStatus() {
    }

    public static int run(StackHome home) {
        home.createDirectories();
        LaunchLock lock = LaunchLock.tryAcquire(home);
        if (lock != null) {
            lock.close();
            System.out.println("launcher     not running");
        } else {
            System.out.println("launcher     running (pid " + LaunchLock.holder(home).orElse(-1) + ")");
        }
        PidFiles pids = new PidFiles(home.run());
        List<String> names = new ArrayList<>(List.of(OwnedProcesses.POSTGRES, OwnedProcesses.KAFKA));
        for (TallyService s : TallyService.values()) {
            names.add(s.module());
        }
        boolean allUp = lock == null;
        for (String name : names) {
            OptionalLong pid = pids.read(name);
            boolean alive = pid.isPresent() && OwnedProcesses.liveAndOurs(name, pid.getAsLong(), home).isPresent();
            String state = alive ? "running (pid " + pid.getAsLong() + ")" : "stopped";
            TallyService service = TallyService.byModule(name);
            if (service != null) {
                boolean ready = Readiness.isReady(service);
                state += ready ? ", ready at " + service.baseUrl() : "";
                allUp &= ready;
            } else if (!alive && lock == null) {
                state = "external or not started";
            }
            System.out.printf("%-22s %s%n", name, state);
        }
        if (lock != null && names.stream().anyMatch(n -> pids.read(n).isPresent())) {
            System.out.println("(leftovers of a launcher that did not stop cleanly: ./tally down stops them, ./tally up replaces them)");
        }
        return allUp ? 0 : 3;
    }
}
