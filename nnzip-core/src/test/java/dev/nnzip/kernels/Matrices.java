package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.fail;

import java.util.Random;

/** Test helpers: random arrays and a tolerance check scaled by the magnitude of what was summed. */
final class Matrices {
    private Matrices() {
    }

    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    /**
     * Asserts {@code |actual - expected| <= rel · scale} element-wise, where {@code scale[i]} is the sum of the
     * absolute values of the terms that made element i (the usual normalisation of a floating-point summation error
     * bound), or {@code max(1, |expected|)} when scale is null.
     */
    static void assertClose(String what, float[] expected, float[] actual, float[] scale, double rel) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double s = scale != null ? Math.max(scale[i], 1e-6) : Math.max(1, Math.abs(expected[i]));
            double d = Math.abs((double) actual[i] - expected[i]);
            boolean bothNaN = Float.isNaN(expected[i]) && Float.isNaN(actual[i]);
            if (!bothNaN && !(d <= rel * s)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (difference " + d
                        + ", allowed " + rel * s + ")");
            }
        }
    }
}
