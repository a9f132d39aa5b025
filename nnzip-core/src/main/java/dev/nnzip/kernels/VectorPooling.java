package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API max pooling of a whole 2-D plane whose windows all lie inside the input: output pixels are taken
 * {@code L} at a time in row-major order (across row ends, so 14-wide maps fill 16-lane vectors too), and each window tap
 * is one gather through a table of the pixels' window origins. Taps are visited in the scalar reference's order
 * (row-major over the window) and a tap replaces the running maximum only where it is strictly greater, so results,
 * ties of ±0 and NaN included, are bit-for-bit those of {@code Pooling}'s scalar loop.
 */
final class VectorPooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorPooling() {
    }

    /** Offset in the input plane of each output pixel's first tap, row-major over the output plane. */
    static int[] windowStarts(ConvGeometry g) {
        int outH = g.out()[1];
        int outW = g.out()[2];
        int inW = g.in()[2];
        int[] starts = new int[outH * outW];
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                starts[oh * outW + ow] = oh * g.stride()[1] * inW + ow * g.stride()[2];
            }
        }
        return starts;
    }

    /**
     * Output pixels {@code [0, n)} of one plane, n the largest multiple of L not above the plane size; returns n (the
     * caller finishes the rest).
     */
    static int maxPlane(ConvGeometry g, float[] x, int xo, float[] y, int yo, int[] starts) {
        int kh = g.kernel()[1];
        int kw = g.kernel()[2];
        int rowStep = g.dilation()[1] * g.in()[2];
        int dw = g.dilation()[2];
        int n = starts.length - starts.length % L;
        for (int t = 0; t < n; t += L) {
            FloatVector best = FloatVector.fromArray(S, x, xo, starts, t);
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    if (i == 0 && j == 0) {
                        continue;
                    }
                    FloatVector v = FloatVector.fromArray(S, x, xo + i * rowStep + j * dw, starts, t);
                    best = best.blend(v, v.compare(VectorOperators.GT, best));
                }
            }
            best.intoArray(y, yo + t);
        }
        return n;
    }
}
