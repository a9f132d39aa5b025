package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@link BlockedDenseConv}: the image is first copied into a zero-padded blocked plane, so every
 * window lies inside it and no tap needs a test; then register tiles of two output blocks × seven pixels of a row
 * (fourteen accumulators, two filter vectors, one broadcast), as {@link VectorBlockedPointwise} does, the last tile of a
 * row shifted back to overlap the one before. Rows narrower than a tile go pixel by pixel. An odd last output block
 * runs the same tile with its filter twice and stores one result.
 */
final class VectorBlockedDenseConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int TILE = 7;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private VectorBlockedDenseConv() {
    }

    /** Rows and columns of the padded plane: exactly what the output's windows span. */
    private static int paddedRows(ConvGeometry g) {
        return (g.out()[1] - 1) * g.stride()[1] + (g.kernel()[1] - 1) * g.dilation()[1] + 1;
    }

    private static int paddedCols(ConvGeometry g) {
        return (g.out()[2] - 1) * g.stride()[2] + (g.kernel()[2] - 1) * g.dilation()[2] + 1;
    }

    /** This thread's buffer for one padded image of {@code g} (grown when needed, kept for the next call). */
    static float[] scratch(ConvGeometry g) {
        int need = BlockedLayout.blocks(g.inChannels(), L) * paddedRows(g) * paddedCols(g) * L;
        float[][] holder = SCRATCH.get();
        if (holder[0].length < need) {
            holder[0] = new float[need];
        }
        return holder[0];
    }

    /** Copies the blocked image at {@code xo} into {@code padded}: zeros where a window reaches past the input. */
    static void pad(ConvGeometry g, float[] x, int xo, float[] padded) {
        int ih = g.in()[1];
        int iw = g.in()[2];
        int hp = paddedRows(g);
        int wp = paddedCols(g);
        int ph = g.padBegin()[1];
        int pw = g.padBegin()[2];
        int blocks = BlockedLayout.blocks(g.inChannels(), L);
        Arrays.fill(padded, 0, blocks * hp * wp * L, 0f);
        int c0 = Math.max(0, pw); // first padded column holding input column max(0, -pw)
        int col0 = c0 - pw;
        int cols = Math.min(iw - col0, wp - c0);
        if (cols <= 0) {
            return;
        }
        for (int cb = 0; cb < blocks; cb++) {
            for (int pr = 0; pr < hp; pr++) {
                int row = pr - ph;
                if (row >= 0 && row < ih) {
                    System.arraycopy(x, xo + ((cb * ih + row) * iw + col0) * L, padded,
                            ((cb * hp + pr) * wp + c0) * L, cols * L);
                }
            }
        }
    }

    /**
     * The padded-plane offset of every (input channel, tap), in the filters' order, from tap (0, 0) of channel 0. One
     * flat loop over this table keeps the tile's vectors in registers: C2 spilled them across a three-deep loop nest
     * over (channel, row, column).
     */
    static int[] offsets(ConvGeometry g) {
        int kh = g.kernel()[1];
        int kw = g.kernel()[2];
        int wp = paddedCols(g);
        int blockStride = paddedRows(g) * wp * L;
        int rowStep = g.dilation()[1] * wp * L;
        int tapStep = g.dilation()[2] * L;
        int[] offsets = new int[g.inChannels() * kh * kw];
        for (int c = 0, k = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, k++) {
                    offsets[k] = (c / L) * blockStride + c % L + i * rowStep + j * tapStep;
                }
            }
        }
        return offsets;
    }

    /**
     * Output blocks {@code ob} and (when {@code count} is 2) {@code ob + 1} of one image, from its padded copy;
     * {@code offsets} from {@link #offsets}.
     */
    static void blocks(ConvGeometry g, float[] padded, int[] offsets, float[] w, int ob, int count, float[] bias,
                       Activation act, float[] y, int yo) {
        ActivationBounds bounds = ActivationBounds.of(act);
        float lo = bounds.lower();
        float hi = bounds.upper();
        int oh = g.out()[1];
        int ow = g.out()[2];
        int wp = paddedCols(g);
        int pixStep = g.stride()[2] * L;
        int perBlock = offsets.length * L; // one filter vector per (input channel, tap)
        boolean two = count == 2;
        int w0 = ob * perBlock;
        int w1 = two ? w0 + perBlock : w0;
        int b0 = ob * L;
        int b1 = two ? b0 + L : b0;
        int plane = oh * ow * L;
        int y1 = yo + plane;
        for (int r = 0; r < oh; r++) {
            int xr = r * g.stride()[1] * wp * L;
            int yr = r * ow * L;
            if (ow < TILE) {
                for (int s = 0; s < ow; s++) {
                    pixel(padded, xr + s * pixStep, offsets, w, w0, w1, bias, b0, b1, y, yo + yr + s * L,
                            y1 + yr + s * L, two, lo, hi);
                }
                continue;
            }
            for (int s = 0; s < ow; s += TILE) {
                int q = Math.min(s, ow - TILE); // the last tile overlaps the one before
                tile(padded, xr + q * pixStep, offsets, pixStep, w, w0, w1, bias, b0, b1, y, yo + yr + q * L,
                        y1 + yr + q * L, two, lo, hi);
            }
        }
        if (!bounds.inRegisters()) {
            act.applyInPlace(y, yo, count * plane);
        }
    }

    /** Two output blocks × 7 pixels; {@code xo}: the padded offset of the first pixel's tap (0, 0), channel 0. */
    private static void tile(float[] x, int xo, int[] offsets, int pixStep, float[] w, int w0, int w1, float[] bias,
                             int b0, int b1, float[] y, int y0, int y1, boolean two, float lo, float hi) {
        FloatVector bias0 = FloatVector.fromArray(S, bias, b0);
        FloatVector bias1 = FloatVector.fromArray(S, bias, b1);
        FloatVector a0 = bias0;
        FloatVector a1 = bias0;
        FloatVector a2 = bias0;
        FloatVector a3 = bias0;
        FloatVector a4 = bias0;
        FloatVector a5 = bias0;
        FloatVector a6 = bias0;
        FloatVector c0 = bias1;
        FloatVector c1 = bias1;
        FloatVector c2 = bias1;
        FloatVector c3 = bias1;
        FloatVector c4 = bias1;
        FloatVector c5 = bias1;
        FloatVector c6 = bias1;
        for (int k = 0; k < offsets.length; k++) {
            int xi = xo + offsets[k];
            FloatVector f0 = FloatVector.fromArray(S, w, w0 + k * L);
            FloatVector f1 = FloatVector.fromArray(S, w, w1 + k * L);
            FloatVector v = FloatVector.broadcast(S, x[xi]);
            a0 = f0.fma(v, a0);
            c0 = f1.fma(v, c0);
            v = FloatVector.broadcast(S, x[xi + pixStep]);
            a1 = f0.fma(v, a1);
            c1 = f1.fma(v, c1);
            v = FloatVector.broadcast(S, x[xi + 2 * pixStep]);
            a2 = f0.fma(v, a2);
            c2 = f1.fma(v, c2);
            v = FloatVector.broadcast(S, x[xi + 3 * pixStep]);
            a3 = f0.fma(v, a3);
            c3 = f1.fma(v, c3);
            v = FloatVector.broadcast(S, x[xi + 4 * pixStep]);
            a4 = f0.fma(v, a4);
            c4 = f1.fma(v, c4);
            v = FloatVector.broadcast(S, x[xi + 5 * pixStep]);
            a5 = f0.fma(v, a5);
            c5 = f1.fma(v, c5);
            v = FloatVector.broadcast(S, x[xi + 6 * pixStep]);
            a6 = f0.fma(v, a6);
            c6 = f1.fma(v, c6);
        }
        a0.max(lo).min(hi).intoArray(y, y0);
        a1.max(lo).min(hi).intoArray(y, y0 + L);
        a2.max(lo).min(hi).intoArray(y, y0 + 2 * L);
        a3.max(lo).min(hi).intoArray(y, y0 + 3 * L);
        a4.max(lo).min(hi).intoArray(y, y0 + 4 * L);
        a5.max(lo).min(hi).intoArray(y, y0 + 5 * L);
        a6.max(lo).min(hi).intoArray(y, y0 + 6 * L);
        if (two) {
            c0.max(lo).min(hi).intoArray(y, y1);
            c1.max(lo).min(hi).intoArray(y, y1 + L);
            c2.max(lo).min(hi).intoArray(y, y1 + 2 * L);
            c3.max(lo).min(hi).intoArray(y, y1 + 3 * L);
            c4.max(lo).min(hi).intoArray(y, y1 + 4 * L);
            c5.max(lo).min(hi).intoArray(y, y1 + 5 * L);
            c6.max(lo).min(hi).intoArray(y, y1 + 6 * L);
        }
    }

    /** Two output blocks of one pixel, for rows narrower than a tile. */
    private static void pixel(float[] x, int xo, int[] offsets, float[] w, int w0, int w1, float[] bias, int b0, int b1,
                              float[] y, int y0, int y1, boolean two, float lo, float hi) {
        FloatVector a = FloatVector.fromArray(S, bias, b0);
        FloatVector b = FloatVector.fromArray(S, bias, b1);
        for (int k = 0; k < offsets.length; k++) {
            FloatVector v = FloatVector.broadcast(S, x[xo + offsets[k]]);
            a = FloatVector.fromArray(S, w, w0 + k * L).fma(v, a);
            b = FloatVector.fromArray(S, w, w1 + k * L).fma(v, b);
        }
        a.max(lo).min(hi).intoArray(y, y0);
        if (two) {
            b.max(lo).min(hi).intoArray(y, y1);
        }
    }
}
