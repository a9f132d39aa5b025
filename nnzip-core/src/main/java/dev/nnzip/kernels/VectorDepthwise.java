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
 * the output's width are computed and dropped when the plane is copied out. With a stride above 1 the output is
 * taken flat, {@code q = r·ow + c}, and each vector gathers its taps through a per-geometry offset table. Bias and
 * activation are applied to the whole vectors of the computed plane before the copy to the output.
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VectorDepthwise() {
    }

    /**
     * Per-thread buffers for a run of planes of one geometry: the padded plane, the wide output and, for strides
     * above 1, the gather table. Fetched once per task, not per plane: MobileNetV2's planes on a 28 × 28 input are
     * 14 × 14 down to 2 × 2, where the thread-local lookup alone was 16 % of the depthwise time (JFR).
     */
    static final class Scratch {
        private float[] p = new float[0];
        private float[] wide = new float[0];
        private int[] gather = new int[0];
        private int pSize;
        private ConvGeometry geometry;

        /** This thread's scratch, sized for {@code g}. */
        static Scratch of(ConvGeometry g) {
            Scratch s = SCRATCH.get();
            if (s.geometry != g) {
                s.prepare(g);
            }
            return s;
        }

        private void prepare(ConvGeometry g) {
            Shape d = new Shape(g);
            // Slack past the last row: the last vector of a sweep reads and writes past the end.
            pSize = d.hp * d.wp + (d.kw - 1) * d.dw + 2 * L;
            if (p.length < pSize) {
                p = new float[pSize];
            }
            int outputs = d.strided() ? d.oh * d.ow : d.oh * d.wp;
            int wideSize = roundUp(Math.max(outputs, 1)) + L;
            if (wide.length < wideSize) {
                wide = new float[wideSize];
            }
            if (d.strided()) {
                // Lane q of the flat output reads padded offset (q / ow)·sh·wp + (q % ow)·sw; lanes past the end read
                // offset 0 (always in range) and are dropped.
                int n = roundUp(d.oh * d.ow);
                if (gather.length < n) {
                    gather = new int[n];
                }
                for (int q = 0; q < n; q++) {
                    gather[q] = q < d.oh * d.ow ? q / d.ow * d.sh * d.wp + q % d.ow * d.sw : 0;
                }
            }
            geometry = g;
        }
    }

    /** The spatial sizes of a 2-D depthwise problem, read once from its geometry. */
    private record Shape(int inH, int inW, int kh, int kw, int oh, int ow, int sh, int sw, int dh, int dw, int ph,
                         int pw, int hp, int wp) {
        Shape(ConvGeometry g) {
            this(g.in()[1], g.in()[2], g.kernel()[1], g.kernel()[2], g.out()[1], g.out()[2], g.stride()[1],
                    g.stride()[2], g.dilation()[1], g.dilation()[2], g.padBegin()[1], g.padBegin()[2],
                    (g.out()[1] - 1) * g.stride()[1] + (g.kernel()[1] - 1) * g.dilation()[1] + 1,
                    (g.out()[2] - 1) * g.stride()[2] + (g.kernel()[2] - 1) * g.dilation()[2] + 1);
        }

        boolean strided() {
            return sh != 1 || sw != 1;
        }
    }

    private static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }

    static void plane(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y, int pl,
                      Scratch scratch) {
        Shape d = new Shape(g);
        int m = pl % g.outChannels();
        float[] p = scratch.p;
        float[] wide = scratch.wide;
        fillPadded(x, Depthwise.inputOffset(g, pl), d.inH, d.inW, d.ph, d.pw, p, scratch.pSize, d.hp, d.wp);
        int wo = m * d.kh * d.kw;
        float b = bias == null ? 0f : bias[m];
        int yo = pl * g.outPlane();
        if (!d.strided()) {
            int n = d.oh * d.wp;
            if (d.kh == 3 && d.kw == 3) {
                sweep3x3(p, d.wp, w, wo, d.dh, d.dw, wide, n);
            } else {
                sweep(p, d.wp, w, wo, d.kh, d.kw, d.dh, d.dw, wide, n);
            }
            activate(wide, n, b, act);
            for (int r = 0; r < d.oh; r++) {
                System.arraycopy(wide, r * d.wp, y, yo + r * d.ow, d.ow);
            }
        } else {
            int n = d.oh * d.ow;
            gathered(p, d.wp, scratch.gather, w, wo, d.kh, d.kw, d.dh, d.dw, wide, n);
            activate(wide, n, b, act);
            System.arraycopy(wide, 0, y, yo, n);
        }
    }

    /**
     * Bias and activation over the wide buffer in whole vectors (the buffer has the slack), before the copy to the
     * output: on planes narrower than a vector, activating the output rows in place left every row to the scalar tail.
     */
    private static void activate(float[] wide, int n, float b, Activation act) {
        int whole = roundUp(n);
        if (b != 0f) {
            VectorActivation.applyWithBias(act, wide, 0, whole, b);
        } else {
            VectorActivation.apply(act, wide, 0, whole);
        }
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

    /**
     * out[q] = Σ_ij w[i][j] · P[gather[q] + i·dh·wp + j·dw] for the flat output index q in [0, n), whole vectors: with
     * a stride the windows of L consecutive outputs are not contiguous, so each vector gathers its taps, and taking
     * the outputs flat (across rows) keeps all lanes busy on maps narrower than a vector.
     */
    private static void gathered(float[] p, int wp, int[] gather, float[] w, int wo, int kh, int kw, int dh, int dw,
                                 float[] out, int n) {
        for (int q = 0; q < n; q += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < kh; i++) {
                int row = i * dh * wp;
                int wi = wo + i * kw;
                for (int j = 0; j < kw; j++) {
                    FloatVector v = FloatVector.fromArray(S, p, row + j * dw, gather, q);
                    acc = v.fma(FloatVector.broadcast(S, w[wi + j]), acc);
                }
            }
            acc.intoArray(out, q);
        }
    }
}
