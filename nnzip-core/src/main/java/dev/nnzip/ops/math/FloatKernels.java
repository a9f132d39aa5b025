package dev.nnzip.ops.math;

import java.util.Arrays;

/**
 * Segment kernels for float32 binary ops.
 *
 * <p>Add, Sub, Mul and Div are the hot ops of transformer and CNN graphs, so each has its own plain loops for the three
 * stride patterns a segment can have (both contiguous, right operand repeated, left operand repeated): with the operator
 * written out, C2 compiles each loop to SIMD code. {@link #of} builds the same loops around an arbitrary function for
 * the less frequent ops; there the function call stays in the loop (it is megamorphic across ops), which is fine for ops
 * that are rare or dominated by a transcendental call anyway.
 */
public final class FloatKernels {
    private FloatKernels() {
    }

    public static final FloatSegmentKernel ADD = FloatKernels::add;
    public static final FloatSegmentKernel SUB = FloatKernels::sub;
    public static final FloatSegmentKernel MUL = FloatKernels::mul;
    public static final FloatSegmentKernel DIV = FloatKernels::div;

    private static void add(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
        if (as == 1 && bs == 1) {
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] + b[bi + i];
            }
        } else if (as == 1) {
            float s = b[bi];
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] + s;
            }
        } else if (bs == 1) {
            float s = a[ai];
            for (int i = 0; i < n; i++) {
                o[oi + i] = s + b[bi + i];
            }
        } else {
            Arrays.fill(o, oi, oi + n, a[ai] + b[bi]);
        }
    }

    private static void sub(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
        if (as == 1 && bs == 1) {
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] - b[bi + i];
            }
        } else if (as == 1) {
            float s = b[bi];
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] - s;
            }
        } else if (bs == 1) {
            float s = a[ai];
            for (int i = 0; i < n; i++) {
                o[oi + i] = s - b[bi + i];
            }
        } else {
            Arrays.fill(o, oi, oi + n, a[ai] - b[bi]);
        }
    }

    private static void mul(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
        if (as == 1 && bs == 1) {
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] * b[bi + i];
            }
        } else if (as == 1) {
            float s = b[bi];
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] * s;
            }
        } else if (bs == 1) {
            float s = a[ai];
            for (int i = 0; i < n; i++) {
                o[oi + i] = s * b[bi + i];
            }
        } else {
            Arrays.fill(o, oi, oi + n, a[ai] * b[bi]);
        }
    }

    private static void div(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
        if (as == 1 && bs == 1) {
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] / b[bi + i];
            }
        } else if (as == 1) {
            // x / s, not x * (1/s): the reciprocal would round differently from the spec's true division
            float s = b[bi];
            for (int i = 0; i < n; i++) {
                o[oi + i] = a[ai + i] / s;
            }
        } else if (bs == 1) {
            float s = a[ai];
            for (int i = 0; i < n; i++) {
                o[oi + i] = s / b[bi + i];
            }
        } else {
            Arrays.fill(o, oi, oi + n, a[ai] / b[bi]);
        }
    }

    /** The three stride patterns around an arbitrary function. */
    public static FloatSegmentKernel of(FloatBinaryOperator f) {
        return (a, ai, as, b, bi, bs, o, oi, n) -> {
            if (as == 1 && bs == 1) {
                for (int i = 0; i < n; i++) {
                    o[oi + i] = f.apply(a[ai + i], b[bi + i]);
                }
            } else if (as == 1) {
                float s = b[bi];
                for (int i = 0; i < n; i++) {
                    o[oi + i] = f.apply(a[ai + i], s);
                }
            } else if (bs == 1) {
                float s = a[ai];
                for (int i = 0; i < n; i++) {
                    o[oi + i] = f.apply(s, b[bi + i]);
                }
            } else {
                Arrays.fill(o, oi, oi + n, f.apply(a[ai], b[bi]));
            }
        };
    }
}
