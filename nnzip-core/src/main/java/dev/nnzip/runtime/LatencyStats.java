package dev.nnzip.runtime;

import java.util.Arrays;

/** Latency percentiles over repeated runs, in milliseconds. */
public record LatencyStats(int runs, double medianMs, double p90Ms, double minMs, double meanMs) {
    /** Times {@code runs} calls of {@code body} after {@code warmup} untimed ones. */
    public static LatencyStats measure(int warmup, int runs, Runnable body) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, was " + runs);
        }
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return of(ms);
    }

    /** Statistics of already measured samples. */
    public static LatencyStats of(double[] samplesMs) {
        double[] s = samplesMs.clone();
        Arrays.sort(s);
        return new LatencyStats(s.length, percentile(s, 0.5), percentile(s, 0.9), s[0],
                Arrays.stream(s).average().orElse(0));
    }

    /** Nearest-rank percentile of sorted samples. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
