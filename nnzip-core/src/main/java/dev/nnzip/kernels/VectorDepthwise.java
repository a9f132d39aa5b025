package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution, vectorized along the output width.
 *
 * <p>The input plane is first copied into a zero-padded plane {@code P} holding exactly the rows and columns the
 * windows touch, so the inner loops need no border tests: output pixel (r, c) is {@code Σ w[i][j] · P[r·sh + i·dh][c·sw
 * + j·dw]}. With stride 1 in both axes the output is computed "wide", with P's row length as its row stride: then
 * {@code out[t] = Σ w[i][j] · P[t + i·dh·wp + j·dw]} for one flat index t over the whole plane, a single stream of
 * contiguous vector loads however narrow the rows are (7×7 and 14×14 maps fill vectors too). The few wide columns past
 * the output's width are computed and dropped when the plane is copied out with bias and activation. With a width
 * stride above 1 each row gathers its inputs ({@code i·sw} lane offsets).
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[2][0]);

    private VectorDepthwise() {
    }

    static void plane(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y, int pl) {
        int m = pl % g.outChannels();
        int inH = g.in()[1];
        int inW = g.in()[2];
        int kh = g.kernel()[1];
        int kw = g.kernel()[2];
        int oh = g.out()[1];
        int ow = g.out()[2];
        int sh = g.stride()[1];
        int sw = g.stride()[2];
        int dh = g.dilation()[1];
        int dw = g.dilation()[2];
        int ph = g.padBegin()[1];
        int pw = g.padBegin()[2];
        int wp = (ow - 1) * sw + (kw - 1) * dw + 1; // padded row length: the columns the windows reach
        int hp = (oh - 1) * sh + (kh - 1) * dh + 1;
        int wideRows = sh == 1 && sw == 1 ? oh : 1;
        // Slack past the last row: the last vector of a sweep or row reads and writes past the end, and a masked
        // gather still range-checks its unset lanes (JDK 25), which reach (L - 1)·sw further.
        float[][] buf = BUFFERS.get();
        int pSize = hp * wp + (kw - 1) * dw + 2 * L + L * sw;
        float[] p = grow(buf, 0, pSize);
        float[] wide = grow(buf, 1, Math.max(wideRows * wp, ow) + 2 * L);
        fillPadded(x, Depthwise.inputOffset(g, pl), inH, inW, ph, pw, p, pSize, hp, wp);
        int wo = m * kh * kw;
        if (sh == 1 && sw == 1) {
            if (kh == 3 && kw == 3) {
                sweep3x3(p, wp, w, wo, dh, dw, wide, oh * wp);
            } else {
                sweep(p, wp, w, wo, kh, kw, dh, dw, wide, oh * wp);
            }
            copyOut(wide, wp, y, pl * g.outPlane(), oh, ow, bias == null ? 0f : bias[m], act);
        } else {
            int[] lanes = new int[L];
            for (int i = 0; i < L; i++) {
                lanes[i] = i * sw;
            }
            int yo = pl * g.outPlane();
            float b = bias == null ? 0f : bias[m];
            for (int r = 0; r < oh; r++) {
                stridedRow(p, r * sh * wp, wp, sw, lanes, w, wo, kh, kw, dh, dw, wide, ow);
                copyOut(wide, ow, y, yo + r * ow, 1, ow, b, act);
            }
        }
    }

    private static float[] grow(float[][] buf, int i, int size) {
        if (buf[i].length < size) {
            buf[i] = new float[size];
        }
        return buf[i];
    }

    /** P[pr][pc] = x[pr − ph][pc − pw] inside the input, 0 outside (and 0 in the slack after the last row). */
    private static void fillPadded(float[] x, int xo, int inH, int inW, int ph, int pw, float[] p, int pSize, int hp,
                                   int wp) {
        java.util.Arrays.fill(p, 0, pSize, 0f);
        int c0 = Math.max(0, pw);                // first padded column that holds input
        int c1 = Math.min(wp, inW + pw);         // one past the last
        for (int pr = 0; pr < hp; pr++) {
            int ih = pr - ph;
            if (ih >= 0 && ih < inH && c1 > c0) {
                System.arraycopy(x, xo + ih * inW + c0 - pw, p, pr * wp + c0, c1 - c0);
            }
        }
    }

    /** wide[t] = Σ_ij w[i][j] · P[t + i·dh·wp + j·dw] for t in [0, n), whole vectors (n rounded up). */
    private static void sweep(float[] p, int wp, float[] w, int wo, int kh, int kw, int dh, int dw, float[] wide,
                              int n) {
        for (int t = 0; t < n; t += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < kh; i++) {
                int row = t + i * dh * wp;
                int wi = wo + i * kw;
                for (int j = 0; j < kw; j++) {
                    acc = FloatVector.fromArray(S, p, row + j * dw).fma(FloatVector.broadcast(S, w[wi + j]), acc);
                }
            }
            acc.intoArray(wide, t);
        }
    }

    /** {@link #sweep} for the common 3×3 window, its nine weights held in registers. */
    private static void sweep3x3(float[] p, int wp, float[] w, int wo, int dh, int dw, float[] wide, int n) {
        FloatVector w0 = FloatVector.broadcast(S, w[wo]);
        FloatVector w1 = FloatVector.broadcast(S, w[wo + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wo + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wo + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wo + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wo + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wo + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wo + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wo + 8]);
        int r1 = dh * wp;
        int r2 = 2 * dh * wp;
        int c2 = 2 * dw;
        for (int t = 0; t < n; t += L) {
            // Same order of accumulation as the generic sweep (row by row, left to right), so both round alike.
            FloatVector acc = FloatVector.fromArray(S, p, t).fma(w0, FloatVector.zero(S));
            acc = FloatVector.fromArray(S, p, t + dw).fma(w1, acc);
            acc = FloatVector.fromArray(S, p, t + c2).fma(w2, acc);
            acc = FloatVector.fromArray(S, p, t + r1).fma(w3, acc);
            acc = FloatVector.fromArray(S, p, t + r1 + dw).fma(w4, acc);
            acc = FloatVector.fromArray(S, p, t + r1 + c2).fma(w5, acc);
            acc = FloatVector.fromArray(S, p, t + r2).fma(w6, acc);
            acc = FloatVector.fromArray(S, p, t + r2 + dw).fma(w7, acc);
            acc = FloatVector.fromArray(S, p, t + r2 + c2).fma(w8, acc);
            acc.intoArray(wide, t);
        }
    }

    /** One output row: lane l of a vector reads padded column (c + l)·sw (a gather when sw > 1). */
    private static void stridedRow(float[] p, int rowStart, int wp, int sw, int[] lanes, float[] w, int wo, int kh,
                                   int kw, int dh, int dw, float[] out, int ow) {
        for (int c = 0; c < ow; c += L) {
            FloatVector acc = FloatVector.zero(S);
            int lanesLeft = Math.min(L, ow - c);
            for (int i = 0; i < kh; i++) {
                int base = rowStart + i * dh * wp + c * sw;
                int wi = wo + i * kw;
                for (int j = 0; j < kw; j++) {
                    int at = base + j * dw;
                    FloatVector v;
                    if (sw == 1) {
                        v = lanesLeft == L ? FloatVector.fromArray(S, p, at)
                                : FloatVector.fromArray(S, p, at, S.indexInRange(0, lanesLeft));
                    } else {
                        v = lanesLeft == L ? FloatVector.fromArray(S, p, at, lanes, 0)
                                : FloatVector.fromArray(S, p, at, lanes, 0, S.indexInRange(0, lanesLeft));
                    }
                    acc = v.fma(FloatVector.broadcast(S, w[wi + j]), acc);
                }
            }
            acc.intoArray(out, c);
        }
    }

    /** y rows = act(wide rows + bias), dropping the wide columns past the output width. */
    private static void copyOut(float[] wide, int stride, float[] y, int yo, int rows, int ow, float b,
                                Activation act) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(wide, r * stride, y, yo + r * ow, ow);
        }
        int n = rows * ow;
        if (b != 0f) {
            VectorActivation.applyWithBias(act, y, yo, n, b);
        } else {
            VectorActivation.apply(act, y, yo, n);
        }
    }
}
