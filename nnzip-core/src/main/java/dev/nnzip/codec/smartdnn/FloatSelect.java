package dev.nnzip.codec.smartdnn;

import java.util.Arrays;

/** k-th smallest of a float range in expected linear time (quickselect), falling back to a sort on bad pivots. */
final class FloatSelect {
    private FloatSelect() {
    }

    /** The value that would be at index {@code k} if {@code a[from, to)} were sorted; permutes the range. */
    static float select(float[] a, int from, int to, int k) {
        int lo = from;
        int hi = to - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, to - from))) + 8;
        while (hi > lo) {
            if (budget-- == 0) {
                Arrays.sort(a, lo, hi + 1); // adversarial pivots: stay O(n log n)
                return a[k];
            }
            int mid = (lo + hi) >>> 1;
            float pivot = median3(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static float median3(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
