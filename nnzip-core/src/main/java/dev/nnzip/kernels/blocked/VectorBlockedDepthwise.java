package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@link BlockedDepthwise}: one vector is the B channels of a pixel. Per output row the taps'
 * valid rows are found once; the columns split into a left border, an interior where every tap column is inside
 * (no tests) and a right border (tested per tap), so no load ever reaches outside the array and no mask is needed.
 */
final class VectorBlockedDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorBlockedDepthwise() {
    }

    static void plane(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[] bias, int bo, Activation act,
                      float[] y, int yo) {
        ActivationBounds bounds = ActivationBounds.of(act);
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
        // Interior columns s: s·sw − pw >= 0 and s·sw − pw + (kw − 1)·dw < iw.
        int sLo = Math.min(ow, (pw + sw - 1) / sw);
        int lastFree = iw - 1 - (kw - 1) * dw + pw; // s·sw <= lastFree
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
                border(x, xo, w, wo, bias, bo, y, yr + s * L, row0, s * sw - pw, iLo, iHi, kw, dh, dw, iw, bounds);
            }
            if (kw == 3 && sw == 1 && dw == 1) {
                interior3Dense(x, xo + (row0 * iw - pw) * L, w, wo, bias, bo, y, yr, sLo, sHi, iLo, iHi,
                        dh * iw * L, bounds.lower(), bounds.upper());
            } else if (kw == 3) {
                interior3(x, xo + (row0 * iw - pw) * L, w, wo, bias, bo, y, yr, sLo, sHi, iLo, iHi, dh * iw * L,
                        dw * L, sw * L, bounds.lower(), bounds.upper());
            } else {
                interior(x, xo + (row0 * iw - pw) * L, w, wo, bias, bo, y, yr, sLo, sHi, iLo, iHi, kw, dh * iw * L,
                        dw * L, sw * L, bounds.lower(), bounds.upper());
            }
            for (int s = sHi; s < ow; s++) {
                border(x, xo, w, wo, bias, bo, y, yr + s * L, row0, s * sw - pw, iLo, iHi, kw, dh, dw, iw, bounds);
            }
        }
        if (!bounds.inRegisters()) {
            act.applyInPlace(y, yo, oh * ow * L);
        }
    }

    /**
     * Outputs {@code [sLo, sHi)} of one row, every tap column inside. {@code xr}: offset of column 0 (before the
     * padding shift) of tap row 0, which may be a negative "virtual" offset; only rows {@code [iLo, iHi)} are read.
     * Four outputs at a time: each filter vector is loaded once for four independent accumulators. One output at a
     * time was a single chain of dependent multiply-adds per output (4 cycles each), 2 ns per tap.
     */
    private static void interior(float[] x, int xr, float[] w, int wo, float[] bias, int bo, float[] y, int yr,
                                 int sLo, int sHi, int iLo, int iHi, int kw, int rowStep, int tapStep, int outStep,
                                 float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        int s = sLo;
        for (; s + 4 <= sHi; s += 4) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            int xs = xr + s * outStep;
            for (int i = iLo; i < iHi; i++) {
                int xi = xs + i * rowStep;
                int wi = wo + i * kw * L;
                for (int j = 0; j < kw; j++) {
                    FloatVector f = FloatVector.fromArray(S, w, wi + j * L);
                    int xj = xi + j * tapStep;
                    a0 = f.fma(FloatVector.fromArray(S, x, xj), a0);
                    a1 = f.fma(FloatVector.fromArray(S, x, xj + outStep), a1);
                    a2 = f.fma(FloatVector.fromArray(S, x, xj + 2 * outStep), a2);
                    a3 = f.fma(FloatVector.fromArray(S, x, xj + 3 * outStep), a3);
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
            int xs = xr + s * outStep;
            for (int i = iLo; i < iHi; i++) {
                int xi = xs + i * rowStep;
                int wi = wo + i * kw * L;
                for (int j = 0; j < kw; j++) {
                    acc = FloatVector.fromArray(S, w, wi + j * L).fma(FloatVector.fromArray(S, x, xi + j * tapStep),
                            acc);
                }
            }
            acc.max(lo).min(hi).intoArray(y, yr + s * L);
        }
    }

    /**
     * {@link #interior3} for stride 1 and no column dilation: four neighbouring outputs read six neighbouring input
     * columns per filter row, so each is loaded once (six loads instead of twelve). Loads, not multiply-adds, bound
     * this kernel: every tap is a full-vector load, often split over two cache lines.
     */
    private static void interior3Dense(float[] x, int xr, float[] w, int wo, float[] bias, int bo, float[] y, int yr,
                                       int sLo, int sHi, int iLo, int iHi, int rowStep, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        int s = sLo;
        for (; s + 4 <= sHi; s += 4) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            int xs = xr + s * L;
            for (int i = iLo; i < iHi; i++) {
                int xi = xs + i * rowStep;
                int wi = wo + i * 3 * L;
                FloatVector f0 = FloatVector.fromArray(S, w, wi);
                FloatVector f1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector f2 = FloatVector.fromArray(S, w, wi + 2 * L);
                FloatVector x0 = FloatVector.fromArray(S, x, xi);
                FloatVector x1 = FloatVector.fromArray(S, x, xi + L);
                FloatVector x2 = FloatVector.fromArray(S, x, xi + 2 * L);
                a0 = f0.fma(x0, a0);
                a1 = f0.fma(x1, a1);
                a2 = f0.fma(x2, a2);
                a0 = f1.fma(x1, a0);
                a1 = f1.fma(x2, a1);
                a0 = f2.fma(x2, a0);
                FloatVector x3 = FloatVector.fromArray(S, x, xi + 3 * L);
                a3 = f0.fma(x3, a3);
                a2 = f1.fma(x3, a2);
                a1 = f2.fma(x3, a1);
                FloatVector x4 = FloatVector.fromArray(S, x, xi + 4 * L);
                a3 = f1.fma(x4, a3);
                a2 = f2.fma(x4, a2);
                FloatVector x5 = FloatVector.fromArray(S, x, xi + 5 * L);
                a3 = f2.fma(x5, a3);
            }
            int yi = yr + s * L;
            a0.max(lo).min(hi).intoArray(y, yi);
            a1.max(lo).min(hi).intoArray(y, yi + L);
            a2.max(lo).min(hi).intoArray(y, yi + 2 * L);
            a3.max(lo).min(hi).intoArray(y, yi + 3 * L);
        }
        interior3(x, xr, w, wo, bias, bo, y, yr, s, sHi, iLo, iHi, rowStep, L, L, lo, hi);
    }

    /**
     * {@link #interior} for filters three taps wide (MobileNet's 3 × 3), the taps of a row written out: with a loop
     * over three taps C2 built pre-, main and post-loops around every row of every output group, and the kernel ran
     * at about 50 cycles per output vector.
     */
    private static void interior3(float[] x, int xr, float[] w, int wo, float[] bias, int bo, float[] y, int yr,
                                  int sLo, int sHi, int iLo, int iHi, int rowStep, int tapStep, int outStep,
                                  float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        int s = sLo;
        for (; s + 4 <= sHi; s += 4) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            int xs = xr + s * outStep;
            for (int i = iLo; i < iHi; i++) {
                int xi = xs + i * rowStep;
                int wi = wo + i * 3 * L;
                FloatVector f = FloatVector.fromArray(S, w, wi);
                a0 = f.fma(FloatVector.fromArray(S, x, xi), a0);
                a1 = f.fma(FloatVector.fromArray(S, x, xi + outStep), a1);
                a2 = f.fma(FloatVector.fromArray(S, x, xi + 2 * outStep), a2);
                a3 = f.fma(FloatVector.fromArray(S, x, xi + 3 * outStep), a3);
                f = FloatVector.fromArray(S, w, wi + L);
                xi += tapStep;
                a0 = f.fma(FloatVector.fromArray(S, x, xi), a0);
                a1 = f.fma(FloatVector.fromArray(S, x, xi + outStep), a1);
                a2 = f.fma(FloatVector.fromArray(S, x, xi + 2 * outStep), a2);
                a3 = f.fma(FloatVector.fromArray(S, x, xi + 3 * outStep), a3);
                f = FloatVector.fromArray(S, w, wi + 2 * L);
                xi += tapStep;
                a0 = f.fma(FloatVector.fromArray(S, x, xi), a0);
                a1 = f.fma(FloatVector.fromArray(S, x, xi + outStep), a1);
                a2 = f.fma(FloatVector.fromArray(S, x, xi + 2 * outStep), a2);
                a3 = f.fma(FloatVector.fromArray(S, x, xi + 3 * outStep), a3);
            }
            int yi = yr + s * L;
            a0.max(lo).min(hi).intoArray(y, yi);
            a1.max(lo).min(hi).intoArray(y, yi + L);
            a2.max(lo).min(hi).intoArray(y, yi + 2 * L);
            a3.max(lo).min(hi).intoArray(y, yi + 3 * L);
        }
        for (; s < sHi; s++) {
            FloatVector acc = b;
            int xs = xr + s * outStep;
            for (int i = iLo; i < iHi; i++) {
                int xi = xs + i * rowStep;
                int wi = wo + i * 3 * L;
                acc = FloatVector.fromArray(S, w, wi).fma(FloatVector.fromArray(S, x, xi), acc);
                acc = FloatVector.fromArray(S, w, wi + L).fma(FloatVector.fromArray(S, x, xi + tapStep), acc);
                acc = FloatVector.fromArray(S, w, wi + 2 * L).fma(FloatVector.fromArray(S, x, xi + 2 * tapStep),
                        acc);
            }
            acc.max(lo).min(hi).intoArray(y, yr + s * L);
        }
    }

    /** One border output: taps whose column falls outside are skipped. */
    private static void border(float[] x, int xo, float[] w, int wo, float[] bias, int bo, float[] y, int yi,
                               int row0, int col0, int iLo, int iHi, int kw, int dh, int dw, int iw,
                               ActivationBounds bounds) {
        FloatVector acc = FloatVector.fromArray(S, bias, bo);
        for (int i = iLo; i < iHi; i++) {
            int xrow = xo + (row0 + i * dh) * iw * L;
            for (int j = 0; j < kw; j++) {
                int col = col0 + j * dw;
                if (col >= 0 && col < iw) {
                    acc = FloatVector.fromArray(S, w, wo + (i * kw + j) * L).fma(
                            FloatVector.fromArray(S, x, xrow + col * L), acc);
                }
            }
        }
        acc.max(bounds.lower()).min(bounds.upper()).intoArray(y, yi);
    }
}
