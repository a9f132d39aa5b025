package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API form of {@link Activation#apply(float)} over a run of floats; the tail uses the scalar definition. */
final class VectorActivation {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivation() {
    }

    static void apply(Activation act, float[] x, int off, int n) {
        int end = off + n;
        int i = off;
        int vecEnd = off + (n - n % L);
        switch (act.kind()) {
            case NONE -> {
                return;
            }
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i < vecEnd; i += L) {
                    FloatVector.fromArray(S, x, i).max(zero).intoArray(x, i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < vecEnd; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.blend(v.mul(act.alpha()), v.compare(VectorOperators.LT, 0f)).intoArray(x, i);
                }
            }
            case CLIP -> {
                for (; i < vecEnd; i += L) {
                    FloatVector.fromArray(S, x, i).max(act.alpha()).min(act.beta()).intoArray(x, i);
                }
            }
            case SIGMOID -> {
                for (; i < vecEnd; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    FloatVector e = v.neg().lanewise(VectorOperators.EXP);
                    FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(x, i);
                }
            }
            case HARD_SWISH -> {
                for (; i < vecEnd; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.mul(v.fma(act.alpha(), act.beta()).max(0f).min(1f)).intoArray(x, i);
                }
            }
        }
        act.applyScalar(x, i, end - i);
    }
}
