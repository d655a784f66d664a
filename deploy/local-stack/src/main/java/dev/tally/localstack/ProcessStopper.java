package dev.tally.localstack;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process by pid, politely first: a signal it handles (SIGTERM for the JVMs, SIGINT for
 * PostgreSQL's "fast" shutdown), then SIGKILL if it has not gone after the grace period.
 */
public final class ProcessStopper {

    private ProcessStopper() {
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true if it had to kill. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        process.destroy();
        return awaitOrKill(process, grace);
    }

    /** SIGINT (PostgreSQL: fast shutdown, rolls back open sessions), then the same as above. */
    public static boolean interrupt(ProcessHandle process, Duration grace) {
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return awaitOrKill(process, grace);
    }

    private static boolean awaitOrKill(ProcessHandle process, Duration grace) {
        if (waitForExit(process, grace)) {
            return false;
        }
        process.destroyForcibly();
        waitForExit(process, Duration.ofSeconds(10));
        return true;
    }

    public static boolean waitForExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return !process.isAlive();
    }
}
