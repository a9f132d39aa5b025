package dev.nnzip.kernels.blocked;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API form of {@link BlockedPooling}'s per-block sum: one vector add per pixel, in pixel order. */
final class VectorBlockedPooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorBlockedPooling() {
    }

    static void sum(float[] x, int xo, int plane, float[] sums) {
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0, i = xo; p < plane; p++, i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, i));
        }
        acc.intoArray(sums, 0);
    }
}
