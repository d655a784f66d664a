package dev.tally.credits.bench;

import java.util.Arrays;

/** Quantiles and medians of the benchmark's rounds. */
final class BenchStats {
    private BenchStats() {
    }

    static double ms(long[] latencies, double q) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static double medianOf(long[][] rounds, double q) {
        return median(Arrays.stream(rounds).mapToDouble(l -> ms(l, q)).toArray());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
