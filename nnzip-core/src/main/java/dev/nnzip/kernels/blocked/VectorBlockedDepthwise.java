package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@link BlockedDepthwise}: one vector is the B channels of a pixel.
 *
 * <p>A padded convolution first copies its block plane into a zero-padded per-thread plane holding exactly the rows
 * and columns the windows touch (as the NCHW kernel does), so every output is computed the same way, without tests or
 * masks, and no load reaches outside an array. Outputs are computed four at a time along a row: four independent
 * accumulators per filter vector load. A single output is one chain of dependent multiply-adds (4 cycles each): on a
 * 7 × 7 map the two border columns and the fifth interior one, computed singly, made the kernel three times slower per
 * output than on large maps. A row whose width is not a multiple of four ends with a group shifted back to overlap the
 * one before (the same values are written twice); only rows narrower than four are computed singly.
 *
 * <p>Padding taps multiply zeros, where the scalar reference skips them: the same sums, unless a filter holds an
 * infinity or NaN.
 */
final class VectorBlockedDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int GROUP = 4;
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    private VectorBlockedDepthwise() {
    }

    /** This thread's padded-plane buffer (a holder, grown as needed); fetch once per task, not per plane. */
    static float[][] scratch() {
        return PADDED.get();
    }

    static void plane(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[] bias, int bo, Activation act,
                      float[] y, int yo, float[][] scratch) {
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
        int hp = (oh - 1) * sh + (kh - 1) * dh + 1; // rows and columns the windows span
        int wp = (ow - 1) * sw + (kw - 1) * dw + 1;
        float[] src = x;
        int so = xo;
        int width = iw;
        if (ph > 0 || pw > 0 || hp > ih || wp > iw) {
            src = padded(x, xo, ih, iw, ph, pw, hp, wp, scratch);
            so = 0;
            width = wp;
        }
        int rowStep = dh * width * L;
        int tapStep = dw * L;
        int outStep = sw * L;
        float lo = bounds.lower();
        float hi = bounds.upper();
        if (kh == 3 && kw == 3 && dw == 1 && ow >= GROUP && (sw == 1 || sw == 2)) {
            plane3x3(src, so, sh * width * L, w, wo, bias, bo, y, yo, oh, ow, rowStep, sw, lo, hi);
        } else {
            rows(src, so, width, w, wo, bias, bo, y, yo, oh, ow, kh, kw, sh, rowStep, tapStep, outStep, lo, hi);
        }
        if (!bounds.inRegisters()) {
            act.applyInPlace(y, yo, oh * ow * L);
        }
    }

    private static void rows(float[] src, int so, int width, float[] w, int wo, float[] bias, int bo, float[] y,
                             int yo, int oh, int ow, int kh, int kw, int sh, int rowStep, int tapStep, int outStep,
                             float lo, float hi) {
        for (int r = 0; r < oh; r++) {
            int xr = so + r * sh * width * L;
            int yr = yo + r * ow * L;
            if (kw == 3 && tapStep == L && outStep == L) {
                row3Dense(src, xr, w, wo, bias, bo, y, yr, ow, kh, rowStep, lo, hi);
            } else if (kw == 3) {
                row3(src, xr, w, wo, bias, bo, y, yr, ow, kh, rowStep, tapStep, outStep, lo, hi);
            } else {
                row(src, xr, w, wo, bias, bo, y, yr, ow, kh, kw, rowStep, tapStep, outStep, lo, hi);
            }
        }
    }

    /**
     * A whole plane of a 3 × 3 filter with stride 1 or 2 along the row (MobileNet's depthwise layers), the nine filter
     * vectors held in registers for the plane. Along a row four outputs read the six (stride 1) or nine (stride 2)
     * neighbouring input columns of each filter row once: 18 or 27 loads for 36 multiply-adds, where the general row
     * kernel also reloads the filter per group (27 or 45). Loads, not multiply-adds, bound this kernel: every tap is a
     * full-vector load, often split over two cache lines.
     */
    private static void plane3x3(float[] x, int so, int outRowStep, float[] w, int wo, float[] bias, int bo,
                                 float[] y, int yo, int oh, int ow, int rowStep, int sw, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        FloatVector f00 = FloatVector.fromArray(S, w, wo);
        FloatVector f01 = FloatVector.fromArray(S, w, wo + L);
        FloatVector f02 = FloatVector.fromArray(S, w, wo + 2 * L);
        FloatVector f10 = FloatVector.fromArray(S, w, wo + 3 * L);
        FloatVector f11 = FloatVector.fromArray(S, w, wo + 4 * L);
        FloatVector f12 = FloatVector.fromArray(S, w, wo + 5 * L);
        FloatVector f20 = FloatVector.fromArray(S, w, wo + 6 * L);
        FloatVector f21 = FloatVector.fromArray(S, w, wo + 7 * L);
        FloatVector f22 = FloatVector.fromArray(S, w, wo + 8 * L);
        int groupStep = GROUP * sw * L;
        for (int r = 0; r < oh; r++) {
            int xr = so + r * outRowStep;
            int yr = yo + r * ow * L;
            for (int s0 = 0; s0 < ow; s0 += GROUP) {
                int s = Math.min(s0, ow - GROUP); // the last group overlaps the one before
                int x0 = xr + s * sw * L;
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector a2 = b;
                FloatVector a3 = b;
                if (sw == 1) {
                    for (int i = 0, xi = x0; i < 3; i++, xi += rowStep) {
                        FloatVector g0 = i == 0 ? f00 : i == 1 ? f10 : f20;
                        FloatVector g1 = i == 0 ? f01 : i == 1 ? f11 : f21;
                        FloatVector g2 = i == 0 ? f02 : i == 1 ? f12 : f22;
                        FloatVector v0 = FloatVector.fromArray(S, x, xi);
                        FloatVector v1 = FloatVector.fromArray(S, x, xi + L);
                        FloatVector v2 = FloatVector.fromArray(S, x, xi + 2 * L);
                        a0 = g0.fma(v0, a0);
                        a1 = g0.fma(v1, a1);
                        a2 = g0.fma(v2, a2);
                        a0 = g1.fma(v1, a0);
                        a1 = g1.fma(v2, a1);
                        a0 = g2.fma(v2, a0);
                        FloatVector v3 = FloatVector.fromArray(S, x, xi + 3 * L);
                        a3 = g0.fma(v3, a3);
                        a2 = g1.fma(v3, a2);
                        a1 = g2.fma(v3, a1);
                        FloatVector v4 = FloatVector.fromArray(S, x, xi + 4 * L);
                        a3 = g1.fma(v4, a3);
                        a2 = g2.fma(v4, a2);
                        FloatVector v5 = FloatVector.fromArray(S, x, xi + 5 * L);
                        a3 = g2.fma(v5, a3);
                    }
                } else {
                    for (int i = 0, xi = x0; i < 3; i++, xi += rowStep) {
                        FloatVector g0 = i == 0 ? f00 : i == 1 ? f10 : f20;
                        FloatVector g1 = i == 0 ? f01 : i == 1 ? f11 : f21;
                        FloatVector g2 = i == 0 ? f02 : i == 1 ? f12 : f22;
                        FloatVector v0 = FloatVector.fromArray(S, x, xi);
                        FloatVector v1 = FloatVector.fromArray(S, x, xi + L);
                        FloatVector v2 = FloatVector.fromArray(S, x, xi + 2 * L);
                        a0 = g0.fma(v0, a0);
                        a0 = g1.fma(v1, a0);
                        a0 = g2.fma(v2, a0);
                        a1 = g0.fma(v2, a1);
                        FloatVector v3 = FloatVector.fromArray(S, x, xi + 3 * L);
                        FloatVector v4 = FloatVector.fromArray(S, x, xi + 4 * L);
                        a1 = g1.fma(v3, a1);
                        a1 = g2.fma(v4, a1);
                        a2 = g0.fma(v4, a2);
                        FloatVector v5 = FloatVector.fromArray(S, x, xi + 5 * L);
                        FloatVector v6 = FloatVector.fromArray(S, x, xi + 6 * L);
                        a2 = g1.fma(v5, a2);
                        a2 = g2.fma(v6, a2);
                        a3 = g0.fma(v6, a3);
                        FloatVector v7 = FloatVector.fromArray(S, x, xi + 7 * L);
                        FloatVector v8 = FloatVector.fromArray(S, x, xi + 8 * L);
                        a3 = g1.fma(v7, a3);
                        a3 = g2.fma(v8, a3);
                    }
                }
                int yi = yr + s * L;
                a0.max(lo).min(hi).intoArray(y, yi);
                a1.max(lo).min(hi).intoArray(y, yi + L);
                a2.max(lo).min(hi).intoArray(y, yi + 2 * L);
                a3.max(lo).min(hi).intoArray(y, yi + 3 * L);
            }
        }
    }

    /** The block plane at {@code xo} copied into a zeroed {@code hp × wp} plane, shifted by the begin pads. */
    private static float[] padded(float[] x, int xo, int ih, int iw, int ph, int pw, int hp, int wp,
                                  float[][] scratch) {
        int need = hp * wp * L;
        if (scratch[0].length < need) {
            scratch[0] = new float[need];
        }
        float[] p = scratch[0];
        int left = Math.min(pw, wp);
        int cols = Math.max(0, Math.min(wp - left, iw));
        int rowLo = Math.min(hp, Math.max(0, ph));
        int rowHi = Math.max(rowLo, Math.min(hp, ih + ph));
        // Only the padding is zeroed: the copied part is overwritten for every plane.
        Arrays.fill(p, 0, rowLo * wp * L, 0f);
        for (int pr = rowLo; pr < rowHi; pr++) {
            int o = pr * wp * L;
            Arrays.fill(p, o, o + left * L, 0f);
            System.arraycopy(x, xo + (pr - ph) * iw * L, p, o + left * L, cols * L);
            Arrays.fill(p, o + (left + cols) * L, o + wp * L, 0f);
        }
        Arrays.fill(p, rowHi * wp * L, need, 0f);
        return p;
    }

    /**
     * One output row of a filter three taps wide with stride 1 and no column dilation: four neighbouring outputs read
     * six neighbouring input columns per filter row, so each is loaded once (six loads instead of twelve). Loads,
     * not multiply-adds, bound this kernel: every tap is a full-vector load, often split over two cache lines.
     */
    private static void row3Dense(float[] x, int xr, float[] w, int wo, float[] bias, int bo, float[] y, int yr,
                                  int ow, int kh, int rowStep, float lo, float hi) {
        if (ow < GROUP) {
            row(x, xr, w, wo, bias, bo, y, yr, ow, kh, 3, rowStep, L, L, lo, hi);
            return;
        }
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        for (int s0 = 0; s0 < ow; s0 += GROUP) {
            int s = Math.min(s0, ow - GROUP);
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            int xs = xr + s * L;
            for (int i = 0; i < kh; i++) {
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
    }

    /**
     * One output row of a filter three taps wide, any stride, the taps of a filter row written out: with a loop over
     * three taps C2 built pre-, main and post-loops around every filter row of every group (50 cycles per output).
     */
    private static void row3(float[] x, int xr, float[] w, int wo, float[] bias, int bo, float[] y, int yr, int ow,
                             int kh, int rowStep, int tapStep, int outStep, float lo, float hi) {
        if (ow < GROUP) {
            row(x, xr, w, wo, bias, bo, y, yr, ow, kh, 3, rowStep, tapStep, outStep, lo, hi);
            return;
        }
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        for (int s0 = 0; s0 < ow; s0 += GROUP) {
            int s = Math.min(s0, ow - GROUP);
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            int xs = xr + s * outStep;
            for (int i = 0; i < kh; i++) {
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
    }

    /** One output row, any filter: four outputs per step, or one at a time in rows narrower than four. */
    private static void row(float[] x, int xr, float[] w, int wo, float[] bias, int bo, float[] y, int yr, int ow,
                            int kh, int kw, int rowStep, int tapStep, int outStep, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        if (ow < GROUP) {
            for (int s = 0; s < ow; s++) {
                FloatVector acc = b;
                int xs = xr + s * outStep;
                for (int i = 0; i < kh; i++) {
                    int xi = xs + i * rowStep;
                    int wi = wo + i * kw * L;
                    for (int j = 0; j < kw; j++) {
                        acc = FloatVector.fromArray(S, w, wi + j * L).fma(
                                FloatVector.fromArray(S, x, xi + j * tapStep), acc);
                    }
                }
                acc.max(lo).min(hi).intoArray(y, yr + s * L);
            }
            return;
        }
        for (int s0 = 0; s0 < ow; s0 += GROUP) {
            int s = Math.min(s0, ow - GROUP);
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            int xs = xr + s * outStep;
            for (int i = 0; i < kh; i++) {
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
    }
}
