package dev.nnzip.ops.math;

/**
 * Computes one {@link Broadcast} segment of a float32 binary op: {@code out[oi + i] = f(a[ai + i*as], b[bi + i*bs])} for
 * {@code i < n}, where each inner stride is 0 (a repeated operand) or 1 (contiguous).
 */
@FunctionalInterface
public interface FloatSegmentKernel {
    void apply(float[] a, int ai, int as, float[] b, int bi, int bs, float[] out, int oi, int n);
}
