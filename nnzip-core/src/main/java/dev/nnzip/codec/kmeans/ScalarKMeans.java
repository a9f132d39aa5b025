package dev.nnzip.codec.kmeans;

import java.util.Arrays;

/**
 * One-dimensional k-means (Lloyd's algorithm) with the linear initialisation Han et al. found best for weight sharing
 * (Deep Compression, ICLR 2016, §3.1): centroids evenly spaced over {@code [min, max]}, which keeps centroids for the rare
 * large weights that density-based initialisations drop — and large weights matter most.
 *
 * <p>In one dimension the clusters of sorted centroids are contiguous runs of the sorted values, cut at the midpoints
 * between neighbouring centroids, so one Lloyd step is {@code k} binary searches and {@code k} differences of prefix sums:
 * {@code O(k log n)} after one {@code O(n log n)} sort, whatever the iteration count.
 */
final class ScalarKMeans {
    static final int MAX_ITERATIONS = 100;

    private ScalarKMeans() {
    }

    /**
     * At most {@code k} sorted centroids for {@code values} (fewer when there are fewer distinct values: then the distinct
     * values themselves, and the quantization is exact).
     */
    static float[] centroids(float[] values, int k) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        double[] distinct = distinctUpTo(sorted, k);
        if (distinct != null) {
            return toFloats(distinct);
        }
        double[] prefix = new double[sorted.length + 1];
        for (int i = 0; i < sorted.length; i++) {
            prefix[i + 1] = prefix[i] + sorted[i];
        }
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        double[] c = new double[k];
        for (int j = 0; j < k; j++) {
            c[j] = min + (max - min) * j / (k - 1);
        }
        int[] cut = new int[k + 1];
        cut[k] = sorted.length;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int j = 1; j < k; j++) {
                cut[j] = lowerBound(sorted, c[j - 1] + (c[j] - c[j - 1]) / 2);
            }
            boolean moved = false;
            for (int j = 0; j < k; j++) {
                int count = cut[j + 1] - cut[j];
                if (count == 0) {
                    continue; // an empty cluster keeps its centroid (it may capture values again after others move)
                }
                double mean = (prefix[cut[j + 1]] - prefix[cut[j]]) / count;
                // Rounding of the prefix sums can put a mean a hair outside its cluster: clamp to the cluster's values.
                mean = Math.max(sorted[cut[j]], Math.min(sorted[cut[j + 1] - 1], mean));
                if (mean != c[j]) {
                    c[j] = mean;
                    moved = true;
                }
            }
            if (!moved) {
                break;
            }
        }
        return toFloats(c);
    }

    /** The distinct values if there are at most {@code k}, else null. */
    private static double[] distinctUpTo(double[] sorted, int k) {
        double[] out = new double[k];
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                if (n == k) {
                    return null;
                }
                out[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Centroids as floats, sorted, duplicates (from rounding) removed. */
    private static float[] toFloats(double[] c) {
        float[] f = new float[c.length];
        for (int j = 0; j < c.length; j++) {
            f[j] = (float) c[j];
        }
        Arrays.sort(f);
        int n = 0;
        for (int j = 0; j < f.length; j++) {
            if (n == 0 || Float.compare(f[j], f[n - 1]) != 0) {
                f[n++] = f[j];
            }
        }
        return Arrays.copyOf(f, n);
    }

    /** First index whose value is {@code >= x}. */
    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the centroid nearest to {@code w} (the lower one on a tie); {@code centroids} sorted, non-empty. */
    static int nearest(float[] centroids, float w) {
        int lo = 0;
        int hi = centroids.length - 1;
        while (lo < hi) { // first centroid >= w
            int mid = (lo + hi) >>> 1;
            if (centroids[mid] < w) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && Math.abs((double) w - centroids[lo - 1]) <= Math.abs((double) centroids[lo] - w)) {
            return lo - 1;
        }
        return lo;
    }
}
