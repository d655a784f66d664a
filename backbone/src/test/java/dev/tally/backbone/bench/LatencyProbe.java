package dev.tally.backbone.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects commit-to-applied latencies by event id, in one JVM (one nanoTime clock for both ends). */
public final class LatencyProbe {
    private static final Map<String, Long> COMMITTED = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Long> LATENCIES_NANOS = new ConcurrentLinkedQueue<>();

    private LatencyProbe() {
    }

    public static void committed(String eventId, long nanos) {
        COMMITTED.put(eventId, nanos);
    }

    public static void applied(String eventId) {
        Long start = COMMITTED.remove(eventId);
        if (start != null) {
            LATENCIES_NANOS.add(System.nanoTime() - start);
        }
    }

    public static int count() {
        return LATENCIES_NANOS.size();
    }

    public static void reset() {
        COMMITTED.clear();
        LATENCIES_NANOS.clear();
    }

    /** p50, p99, p99.9 and max in milliseconds. */
    public static double[] percentilesMillis() {
        return percentiles(LATENCIES_NANOS.stream().mapToLong(Long::longValue).toArray());
    }

    public static double[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new double[] {0, 0, 0, 0};
        }
        return new double[] {at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999), sorted[sorted.length - 1] / 1e6};
    }

    private static double at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
