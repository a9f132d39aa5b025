package dev.nnzip.codec.prune;

import java.util.Arrays;

/**
 * Which weights magnitude pruning keeps (Han et al., "Learning both Weights and Connections", NeurIPS 2015; the first
 * stage of Deep Compression): the smallest-magnitude weights go, by a sparsity per layer or by one magnitude threshold for
 * every layer (the same threshold everywhere prunes layers of small weights harder: a global criterion).
 */
final class MagnitudeMask {
    private MagnitudeMask() {
    }

    /**
     * Keeps all but the {@code floor(sparsity × n)} smallest magnitudes. Ties are broken by index, so the pruned count is
     * exact and the choice deterministic.
     */
    static boolean[] bySparsity(float[] values, double sparsity) {
        int n = values.length;
        int drop = (int) Math.floor(sparsity * n);
        boolean[] keep = new boolean[n];
        Arrays.fill(keep, true);
        if (drop == 0) {
            return keep;
        }
        // |w| as raw float bits orders like the magnitude (non-negative floats compare as their bit patterns); the index in
        // the low half makes every key distinct.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (long) (Float.floatToRawIntBits(values[i]) & 0x7FFF_FFFF) << 32 | i;
        }
        Arrays.sort(keys);
        for (int r = 0; r < drop; r++) {
            keep[(int) keys[r]] = false;
        }
        return keep;
    }

    /** Keeps the weights with {@code |w| >= threshold}. */
    static boolean[] byThreshold(float[] values, double threshold) {
        boolean[] keep = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            keep[i] = Math.abs(values[i]) >= threshold;
        }
        return keep;
    }
}
