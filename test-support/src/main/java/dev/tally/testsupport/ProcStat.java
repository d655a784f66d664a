package dev.tally.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and parent from {@code /proc/<pid>/stat} (Linux only), for the benchmarks that
 * count CPU by process: unlike wall time it hardly moves with what else the machine runs.
 */
public final class ProcStat {
    /** Clock ticks a second ({@code getconf CLK_TCK} on Linux). */
    public static final double TICKS = 100.0;

    private ProcStat() {
    }

    /** utime + stime in ticks; with {@code reapedChildren} also cutime + cstime (children that ended and were waited for); -1 when gone. */
    public static long cpuTicks(long pid, boolean reapedChildren) {
        String[] f = fields(pid);
        if (f == null) {
            return -1;
        }
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return reapedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    }

    /** cutime + cstime alone, in ticks: what {@code pid}'s ended children used; -1 when gone. */
    public static long reapedChildrenTicks(long pid) {
        String[] f = fields(pid);
        return f == null ? -1 : Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** The parent's pid; -1 when gone. */
    public static long parent(long pid) {
        String[] f = fields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** The fields from the third (state) on: ppid at 1, utime 11, stime 12, cutime 13, cstime 14. */
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
