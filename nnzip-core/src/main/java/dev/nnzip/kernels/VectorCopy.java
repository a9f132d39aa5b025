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
    /**
     * 256-bit vectors, for rows no wider than one (8 floats) where the preferred vectors are wider (AVX-512):
     * MobileNets' 7 × 7 and 4 × 4 planes.
     */
    private static final VectorSpecies<Float> HALF_S = FloatVector.SPECIES_256;
    private static final int HALF_L = HALF_S.length();

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

    /**
     * {@code rows} runs of {@code n} floats, from {@code src} (runs {@code srcStride} apart) to {@code dst} (runs
     * {@code dstStride} apart), in order: the rows of a plane into a padded plane or out of a wide one.
     *
     * <p>A row's last, partial vector is stored whole whenever its overhang stays before the end of the last row: the
     * lanes past {@code n} carry zeros (a masked load) into the gap after the row and the start of the rows after it,
     * which this call writes later. One masked store per row cost more than the row's copy on MobileNetV2's 14 × 14 to
     * 4 × 4 planes (its bounds check walks the mask: JFR showed a third of the depthwise time in the row copies);
     * now only the last row or two pay it.
     *
     * @param dstStride {@code n} (dense rows), or more; then the gaps between the rows in {@code dst} must be zero, and
     *     stay zero (the padding of a padded plane)
     */
    static void rows(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
        if (n <= HALF_L && L > HALF_L) {
            narrowRows(src, s, srcStride, dst, d, dstStride, rows, n);
            return;
        }
        int whole = n - n % L;
        int end = d + (rows - 1) * dstStride + n; // one past the last float this call writes
        VectorMask<Float> tail = S.indexInRange(whole, n);
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            if (n >= ARRAYCOPY_MIN) {
                System.arraycopy(src, s, dst, d, n);
                continue;
            }
            for (int i = 0; i < whole; i += L) {
                FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
            }
            if (whole < n) {
                FloatVector v = FloatVector.fromArray(S, src, s + whole, tail);
                if (d + whole + L <= end) {
                    v.intoArray(dst, d + whole);
                } else {
                    v.intoArray(dst, d + whole, tail);
                }
            }
        }
    }

    /**
     * {@link #rows} for rows of at most {@link #HALF_L} floats, in half-width vectors: a row's one vector then reaches
     * at most 7 floats past it instead of up to 15 (the next rows' stores overwrite them, as in {@link #rows}).
     */
    private static void narrowRows(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows,
                                   int n) {
        int end = d + (rows - 1) * dstStride + n;
        VectorMask<Float> row = HALF_S.indexInRange(0, n);
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            FloatVector v = FloatVector.fromArray(HALF_S, src, s, row);
            if (d + HALF_L <= end) {
                v.intoArray(dst, d);
            } else {
                v.intoArray(dst, d, row);
            }
        }
    }
}
