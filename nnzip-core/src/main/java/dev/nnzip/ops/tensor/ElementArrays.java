package dev.nnzip.ops.tensor;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Storage-generic element moves. A tensor's data is one of five Java array kinds ({@link DType.Storage}); the tensor ops
 * in this package move elements without looking at their values, so they are written once against {@code Object} arrays.
 * Block moves go through {@link System#arraycopy}, which works on every primitive array kind; single-element and
 * strided moves switch on the array kind once per run of elements, not once per element.
 */
final class ElementArrays {
    private ElementArrays() {
    }

    /** Copies {@code n} elements from {@code src[srcPos + i*srcStride]} to {@code dst[dstPos + i*dstStride]}. */
    static void copyStrided(Object src, int srcPos, int srcStride, Object dst, int dstPos, int dstStride, int n) {
        if (srcStride == 1 && dstStride == 1) {
            System.arraycopy(src, srcPos, dst, dstPos, n);
            return;
        }
        switch (src) {
            case float[] s -> {
                float[] d = (float[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride, dstPos += dstStride) {
                    d[dstPos] = s[srcPos];
                }
            }
            case long[] s -> {
                long[] d = (long[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride, dstPos += dstStride) {
                    d[dstPos] = s[srcPos];
                }
            }
            case double[] s -> {
                double[] d = (double[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride, dstPos += dstStride) {
                    d[dstPos] = s[srcPos];
                }
            }
            case boolean[] s -> {
                boolean[] d = (boolean[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride, dstPos += dstStride) {
                    d[dstPos] = s[srcPos];
                }
            }
            case Object[] s -> {
                Object[] d = (Object[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride, dstPos += dstStride) {
                    d[dstPos] = s[srcPos];
                }
            }
            default -> throw new IllegalArgumentException("unsupported storage " + src.getClass());
        }
    }

    /**
     * {@code dst[dstPos + i] = src[srcBase + offsets[offFrom + i]]} for {@code i} in {@code [0, n)}: a gather by a table
     * of source offsets.
     */
    static void gather(Object src, int srcBase, int[] offsets, int offFrom, Object dst, int dstPos, int n) {
        switch (src) {
            case float[] s -> {
                float[] d = (float[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + offsets[offFrom + i]];
                }
            }
            case long[] s -> {
                long[] d = (long[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + offsets[offFrom + i]];
                }
            }
            case double[] s -> {
                double[] d = (double[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + offsets[offFrom + i]];
                }
            }
            case boolean[] s -> {
                boolean[] d = (boolean[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + offsets[offFrom + i]];
                }
            }
            case Object[] s -> {
                Object[] d = (Object[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + offsets[offFrom + i]];
                }
            }
            default -> throw new IllegalArgumentException("unsupported storage " + src.getClass());
        }
    }

    /** Fills {@code array[from, to)} with element {@code index} of {@code value} (same storage kind). */
    static void fill(Object array, int from, int to, Tensor value, int index) {
        switch (array) {
            case float[] a -> Arrays.fill(a, from, to, value.floats()[index]);
            case long[] a -> Arrays.fill(a, from, to, value.longs()[index]);
            case double[] a -> Arrays.fill(a, from, to, value.doubles()[index]);
            case boolean[] a -> Arrays.fill(a, from, to, value.booleans()[index]);
            case String[] a -> Arrays.fill(a, from, to, value.strings()[index]);
            default -> throw new IllegalArgumentException("unsupported storage " + array.getClass());
        }
    }

    /**
     * Fills {@code array[from, to)} with a number converted to the array's kind (0 and 1 are exact in every numeric
     * kind; bool takes {@code number != 0}; a string array only takes 0, as the empty string).
     */
    static void fill(Object array, int from, int to, double number) {
        switch (array) {
            case float[] a -> Arrays.fill(a, from, to, (float) number);
            case long[] a -> Arrays.fill(a, from, to, (long) number);
            case double[] a -> Arrays.fill(a, from, to, number);
            case boolean[] a -> Arrays.fill(a, from, to, number != 0);
            case String[] a -> {
                if (number != 0) {
                    throw new IllegalArgumentException("a string tensor has no number " + number + "; only 0 (\"\")");
                }
                Arrays.fill(a, from, to, "");
            }
            default -> throw new IllegalArgumentException("unsupported storage " + array.getClass());
        }
    }

    /** A one-element tensor of {@code dtype} holding {@code number} (how attribute values like Pad's become tensors). */
    static Tensor scalarOf(DType dtype, double number) {
        Tensor t = Tensor.zeros(dtype);
        fill(t.data(), 0, 1, number);
        return t;
    }
}
