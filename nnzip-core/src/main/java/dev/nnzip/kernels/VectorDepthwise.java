package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution, vectorized along the output width: for stride 1 the L output pixels
 * {@code ow .. ow+L-1} read the L contiguous inputs {@code ow+shift ..}, so each filter tap is one vector load and one FMA
 * into an accumulator that stays in a register for the whole window. Columns whose window crosses the left or right
 * padding, and every column when the width stride is not 1, take the scalar loop.
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorDepthwise() {
    }

    static void plane(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y, int pl) {
        int sw = g.stride()[2];
        if (sw != 1) {
            Depthwise.plane(g, x, w, bias, act, y, pl);
            return;
        }
        int m = pl % g.outChannels();
        int inH = g.in()[1];
        int inW = g.in()[2];
        int kh = g.kernel()[1];
        int kw = g.kernel()[2];
        int oh = g.out()[1];
        int ow = g.out()[2];
        int sh = g.stride()[1];
        int dh = g.dilation()[1];
        int dw = g.dilation()[2];
        int ph = g.padBegin()[1];
        int pw = g.padBegin()[2];
        int xo = Depthwise.inputOffset(g, pl);
        int wo = m * kh * kw;
        int yo = pl * g.outPlane();
        float b = bias == null ? 0f : bias[m];
        // Vector blocks start at ow with every tap inside the row: ow - pw >= 0 and ow + L - 1 + (kw-1)·dw - pw < inW.
        int vecFrom = Math.min(ow, pw);
        int vecLastStart = inW - L - (kw - 1) * dw + pw;
        for (int r = 0; r < oh; r++) {
            int row = yo + r * ow;
            int c = 0;
            for (; c < vecFrom; c++) {
                y[row + c] = tap(x, xo, inH, inW, w, wo, kh, kw, r, c, sh, 1, dh, dw, ph, pw) + b;
            }
            for (; c <= vecLastStart && c + L <= ow; c += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int i = 0; i < kh; i++) {
                    int ih = r * sh - ph + i * dh;
                    if (ih < 0 || ih >= inH) {
                        continue;
                    }
                    int src = xo + ih * inW + c - pw;
                    int wi = wo + i * kw;
                    for (int j = 0; j < kw; j++) {
                        acc = FloatVector.fromArray(S, x, src + j * dw).fma(FloatVector.broadcast(S, w[wi + j]), acc);
                    }
                }
                acc.add(b).intoArray(y, row + c);
            }
            for (; c < ow; c++) {
                y[row + c] = tap(x, xo, inH, inW, w, wo, kh, kw, r, c, sh, 1, dh, dw, ph, pw) + b;
            }
            act.applyInPlace(y, row, ow);
        }
    }

    /** One output pixel, with bounds checks (the padded border). */
    private static float tap(float[] x, int xo, int inH, int inW, float[] w, int wo, int kh, int kw, int r, int c,
                             int sh, int sw, int dh, int dw, int ph, int pw) {
        float acc = 0f;
        for (int i = 0; i < kh; i++) {
            int ih = r * sh - ph + i * dh;
            if (ih < 0 || ih >= inH) {
                continue;
            }
            for (int j = 0; j < kw; j++) {
                int iw = c * sw - pw + j * dw;
                if (iw >= 0 && iw < inW) {
                    acc += w[wo + i * kw + j] * x[xo + ih * inW + iw];
                }
            }
        }
        return acc;
    }
}
