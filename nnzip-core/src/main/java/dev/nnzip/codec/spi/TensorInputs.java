package dev.nnzip.codec.spi;

import java.util.Arrays;

/** Validation of encoder inputs, shared by all codecs so every codec words its errors the same way. */
public final class TensorInputs {
    private TensorInputs() {
    }

    /** Checks that {@code values} matches {@code shape} and that {@code blockValues} is usable. */
    public static void checkShape(String tensorName, float[] values, int[] shape, int blockValues) {
        if (values == null || shape == null) {
            throw new IllegalArgumentException("tensor '" + tensorName + "': values and shape must not be null");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + tensorName + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor '" + tensorName + "': shape " + Arrays.toString(shape) + " holds "
                    + n + " values, the array has " + values.length);
        }
        if (blockValues < 1) {
            throw new IllegalArgumentException("tensor '" + tensorName + "': block size must be >= 1, was " + blockValues);
        }
    }

    /**
     * The smallest and largest value, after checking that all are finite: an error bound relative to a range that is
     * infinite or NaN means nothing, and a lossy reconstruction of NaN cannot be within any bound.
     *
     * @return {@code {min, max}}, or {@code {0, 0}} for an empty tensor
     */
    public static float[] finiteRange(String tensorName, String codec, float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("tensor '" + tensorName + "' holds " + v + " at index " + i
                        + "; codec '" + codec + "' needs finite values (use the 'lossless' codec for tensors with NaN or"
                        + " infinities)");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return values.length == 0 ? new float[] {0, 0} : new float[] {min, max};
    }
}
