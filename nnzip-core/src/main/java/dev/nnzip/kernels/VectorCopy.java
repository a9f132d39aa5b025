package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies of short runs of floats in vectors, the last one masked. The convolutions on small feature maps copy rows and
 * planes of a few to a few dozen floats by the thousand (padded inputs in, wide results out); there a
 * {@code System.arraycopy} call costs more than the copy itself (JFR, MobileNetV2 on 28 × 28 inputs: the per-row
 * copies were a quarter of the depthwise time). Long runs still go to {@code System.arraycopy}.
 */
final class VectorCopy {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** From this length on, the arraycopy stub's call cost no longer matters. */
    private static final int ARRAYCOPY_MIN = 8 * L;

    private VectorCopy() {
    }

    /** {@code dst[d, d + n) = src[s, s + n)}; the ranges must not overlap. */
    static void copy(float[] src, int s, float[] dst, int d, int n) {
        if (n >= ARRAYCOPY_MIN) {
            System.arraycopy(src, s, dst, d, n);
            return;
        }
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            FloatVector.fromArray(S, src, s + i, tail).intoArray(dst, d + i, tail);
        }
    }
}
