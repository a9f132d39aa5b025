package dev.nnzip.ops.norm;

import dev.nnzip.kernels.VectorExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax of one contiguous float lane with the Vector API: max, then {@code e^(x - max)} through
 * {@link VectorExp} (bit-identical in every JIT tier) with a vector sum, then the scale. Attention softmax over
 * [batch, heads, seq, seq] scores was ~10 % of MiniLM's latency as a scalar double-exp loop. Loaded only when the
 * kernels are vectorised (see {@code KernelSupport}); the caller keeps the scalar path otherwise.
 */
final class VectorSoftmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorSoftmax() {
    }

    /** {@code out[base, base + n) = softmax(x[base, base + n))}, plain (not log) softmax. */
    static void lane(float[] x, float[] out, int base, int n) {
        int end = base + n;
        int vecEnd = base + S.loopBound(n);
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = base;
        for (; i < vecEnd; i += S.length()) {
            vmax = vmax.max(FloatVector.fromArray(S, x, i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < end; i++) {
            max = Math.max(max, x[i]);
        }
        FloatVector vsum = FloatVector.zero(S);
        for (i = base; i < vecEnd; i += S.length()) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, i).sub(max));
            e.intoArray(out, i);
            vsum = vsum.add(e);
        }
        // Lanes summed in order, not with reduceLanes(ADD), whose order differs between the interpreter and C2: the
        // same input would give different bits before and after the JIT compiled this method.
        float[] lanes = new float[S.length()];
        vsum.intoArray(lanes, 0);
        double sum = 0;
        for (float v : lanes) {
            sum += v;
        }
        for (; i < end; i++) {
            float e = (float) Math.exp(x[i] - max);
            out[i] = e;
            sum += e;
        }
        float inv = (float) (1 / sum);
        for (i = base; i < vecEnd; i += S.length()) {
            FloatVector.fromArray(S, out, i).mul(inv).intoArray(out, i);
        }
        for (; i < end; i++) {
            out[i] *= inv;
        }
    }
}
