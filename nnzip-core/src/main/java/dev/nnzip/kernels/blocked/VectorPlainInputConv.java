package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@link PlainInputConv}, laid out like {@link VectorBlockedDepthwise}: per output row the valid
 * tap rows are found once, interior columns (every tap inside) are computed four outputs at a time with one filter
 * vector load per tap for four broadcast inputs, and the border columns test each tap.
 */
final class VectorPlainInputConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorPlainInputConv() {
    }

    static void plane(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[] bias, int bo, Activation act,
                      float[] y, int yo) {
        ActivationBounds bounds = ActivationBounds.of(act);
        int channels = g.inChannels();
        int ih = g.in()[1];
        int iw = g.in()[2];
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
        int sLo = Math.min(ow, (pw + sw - 1) / sw);
        int lastFree = iw - 1 - (kw - 1) * dw + pw;
        int sHi = lastFree < 0 ? sLo : Math.max(sLo, Math.min(ow, lastFree / sw + 1));
        for (int r = 0; r < oh; r++) {
            int row0 = r * sh - ph;
            int iLo = 0;
            while (iLo < kh && row0 + iLo * dh < 0) {
                iLo++;
            }
            int iHi = kh;
            while (iHi > iLo && row0 + (iHi - 1) * dh >= ih) {
                iHi--;
            }
            int yr = yo + r * ow * L;
            for (int s = 0; s < sLo; s++) {
                border(x, xo, channels, ih, iw, w, wo, bias, bo, y, yr + s * L, row0, s * sw - pw, iLo, iHi, kh, kw,
                        dh, dw, bounds.lower(), bounds.upper());
            }
            for (int s = sHi; s < ow; s++) {
                border(x, xo, channels, ih, iw, w, wo, bias, bo, y, yr + s * L, row0, s * sw - pw, iLo, iHi, kh, kw,
                        dh, dw, bounds.lower(), bounds.upper());
            }
            interior(x, xo + row0 * iw - pw, channels, ih * iw, w, wo, bias, bo, y, yr, sLo, sHi, iLo, iHi, kh, kw,
                    dh * iw, dw, sw, bounds.lower(), bounds.upper());
        }
        if (!bounds.inRegisters()) {
            act.applyInPlace(y, yo, oh * ow * L);
        }
    }

    /** Interior outputs {@code [sLo, sHi)} of one row; {@code xr} is the (possibly virtual) offset of tap (0, 0). */
    private static void interior(float[] x, int xr, int channels, int plane, float[] w, int wo, float[] bias, int bo,
                                 float[] y, int yr, int sLo, int sHi, int iLo, int iHi, int kh, int kw, int rowStep,
                                 int tapStep, int outStep, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        int s = sLo;
        for (; s + 4 <= sHi; s += 4) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            for (int c = 0; c < channels; c++) {
                int xs = xr + c * plane + s * outStep;
                for (int i = iLo; i < iHi; i++) {
                    int xi = xs + i * rowStep;
                    int wi = wo + ((c * kh + i) * kw) * L;
                    for (int j = 0; j < kw; j++) {
                        FloatVector f = FloatVector.fromArray(S, w, wi + j * L);
                        int xj = xi + j * tapStep;
                        a0 = f.fma(FloatVector.broadcast(S, x[xj]), a0);
                        a1 = f.fma(FloatVector.broadcast(S, x[xj + outStep]), a1);
                        a2 = f.fma(FloatVector.broadcast(S, x[xj + 2 * outStep]), a2);
                        a3 = f.fma(FloatVector.broadcast(S, x[xj + 3 * outStep]), a3);
                    }
                }
            }
            int yi = yr + s * L;
            a0.max(lo).min(hi).intoArray(y, yi);
            a1.max(lo).min(hi).intoArray(y, yi + L);
            a2.max(lo).min(hi).intoArray(y, yi + 2 * L);
            a3.max(lo).min(hi).intoArray(y, yi + 3 * L);
        }
        for (; s < sHi; s++) {
            FloatVector acc = b;
            for (int c = 0; c < channels; c++) {
                int xs = xr + c * plane + s * outStep;
                for (int i = iLo; i < iHi; i++) {
                    int xi = xs + i * rowStep;
                    int wi = wo + ((c * kh + i) * kw) * L;
                    for (int j = 0; j < kw; j++) {
                        acc = FloatVector.fromArray(S, w, wi + j * L).fma(
                                FloatVector.broadcast(S, x[xi + j * tapStep]), acc);
                    }
                }
            }
            acc.max(lo).min(hi).intoArray(y, yr + s * L);
        }
    }

    /** One border output: taps whose column falls outside are skipped. */
    private static void border(float[] x, int xo, int channels, int ih, int iw, float[] w, int wo, float[] bias,
                               int bo, float[] y, int yi, int row0, int col0, int iLo, int iHi, int kh, int kw,
                               int dh, int dw, float lo, float hi) {
        FloatVector acc = FloatVector.fromArray(S, bias, bo);
        for (int c = 0; c < channels; c++) {
            for (int i = iLo; i < iHi; i++) {
                int xrow = xo + (c * ih + row0 + i * dh) * iw;
                int wi = wo + ((c * kh + i) * kw) * L;
                for (int j = 0; j < kw; j++) {
                    int col = col0 + j * dw;
                    if (col >= 0 && col < iw) {
                        acc = FloatVector.fromArray(S, w, wi + j * L).fma(FloatVector.broadcast(S, x[xrow + col]),
                                acc);
                    }
                }
            }
        }
        acc.max(lo).min(hi).intoArray(y, yi);
    }
}
