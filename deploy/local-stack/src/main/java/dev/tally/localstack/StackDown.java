package dev.tally.localstack;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code ./tally down}: asks the running launcher to stop (SIGTERM, so its shutdown hook stops the
 * children in order), then stops any leftovers of a launcher that died without doing so.
 */
public final class StackDown {

    private StackDown() {
    }

    public static int run(StackHome home) {
        home.createDirectories();
        LaunchLock lock = LaunchLock.tryAcquire(home);
        boolean stoppedLauncher = false;
        if (lock == null) {
            OptionalLong pid = LaunchLock.holder(home);
            var launcher = pid.isPresent()
                    ? OwnedProcesses.liveAndOurs(OwnedProcesses.LAUNCHER, pid.getAsLong(), home) : java.util.Optional.<ProcessHandle>empty();
            if (launcher.isEmpty()) {
                System.err.println("The launcher lock is held, but pid " + (pid.isPresent() ? pid.getAsLong() : "?")
                        + " is not a Tally launcher of this checkout. Not touching it.");
                return 1;
            }
            System.out.println("Stopping Tally (launcher pid " + launcher.get().pid() + ")...");
            launcher.get().destroy();
            if (!ProcessStopper.waitForExit(launcher.get(), Duration.ofSeconds(120))) {
                System.err.println("The launcher did not stop within 120 s; leaving it alone.");
                return 1;
            }
            stoppedLauncher = true;
            lock = LaunchLock.tryAcquire(home);
            if (lock == null) {
                System.err.println("Another ./tally up started meanwhile; not touching it.");
                return 1;
            }
        }
        try {
            List<String> leftovers = Leftovers.stop(home);
            leftovers.forEach(l -> System.out.println("Stopped leftover " + l));
            if (stoppedLauncher || !leftovers.isEmpty()) {
                System.out.println("Tally is down.");
            } else {
                System.out.println("Tally was not running.");
            }
            return 0;
        } finally {
            lock.close();
        }
    }
}
