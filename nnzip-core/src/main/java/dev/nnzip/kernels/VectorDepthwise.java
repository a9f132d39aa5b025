package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution, vectorized along the output plane taken "wide".
 *
 * <p>The input plane is first copied into a zero-padded plane {@code P} holding exactly the rows and columns the
 * windows touch, so the inner loops need no border tests: output pixel (r, c) is {@code Σ w[i][j] · P[r·sh + i·dh][c·sw
 * + j·dw]}. P is stored split into its {@code sh × sw} phases (polyphase form): phase (a, b) holds
 * {@code P[a + sh·r'][b + sw·c']} as a {@code hq × wq} plane. Tap (i, j) of output (r, c) is then element
 * {@code (r + ⌊i·dh/sh⌋, c + ⌊j·dw/sw⌋)} of phase {@code (i·dh mod sh, j·dw mod sw)}: with the output indexed "wide",
 * {@code t = r·wq + c}, every tap is one contiguous run {@code phase + ⌊i·dh/sh⌋·wq + ⌊j·dw/sw⌋ + t} for the whole
 * plane, a single stream of vector loads however narrow the rows are (the 7×7 and 4×4 maps of a small MobileNetV2
 * fill vectors too) and whatever the stride. (Strided planes had used a gather per tap, 3x slower on Zen 4.) With
 * stride 1 there is one phase, P itself. The few wide columns past the output's width are computed and dropped when
 * the plane is copied out; bias and activation are applied to the computed plane in whole vectors before that copy.
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** Lanes 0, 2, 4, ... then 1, 3, 5, ...: a one-instruction permute (a compress was left to Java code). */
    private static final VectorShuffle<Float> EVEN_FIRST = VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i
            : 2 * (i - L / 2) + 1);
    /** Lanes 1, 3, 5, ... then 0, 2, 4, .... */
    private static final VectorShuffle<Float> ODD_FIRST = VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i + 1
            : 2 * (i - L / 2));

    /** Lanes [0, L/2): where a whole vector's even (or odd) lanes land after {@link #EVEN_FIRST} / {@link #ODD_FIRST}. */
    private static final VectorMask<Float> HALF = S.indexInRange(0, L / 2);

    private VectorDepthwise() {
    }

    /**
     * Per-thread buffers and per-geometry tables for a run of planes: the phase planes, the wide output and the
     * offset of every tap. Fetched once per task, not per plane: MobileNetV2's planes on a 28 × 28 input are 14 × 14
     * down to 2 × 2, where the thread-local lookup alone was 16 % of the depthwise time (JFR).
     */
    static final class Scratch {
        private float[] p = new float[0];
        private float[] wide = new float[0];
        private int[] taps = new int[0];
        private int pSize;
        private Shape shape;
        private ConvGeometry geometry;

        /** This thread's scratch, prepared for {@code g}. */
        static Scratch of(ConvGeometry g) {
            Scratch s = SCRATCH.get();
            if (s.geometry != g) {
                s.prepare(g);
            }
            return s;
        }

        private void prepare(ConvGeometry g) {
            Shape d = new Shape(g);
            // Slack past the last phase: the last vector of a sweep reads (and its wide store writes) past the end.
            pSize = d.sh * d.sw * d.hq * d.wq + d.wq + 2 * L;
            if (p.length < pSize) {
                p = new float[pSize];
            } else {
                java.util.Arrays.fill(p, 0, pSize, 0f);
            }
            int wideSize = roundUp(Math.max(d.oh * d.wq, 1)) + L;
            if (wide.length < wideSize) {
                wide = new float[wideSize];
            }
            if (taps.length < d.kh * d.kw) {
                taps = new int[d.kh * d.kw];
            }
            for (int i = 0; i < d.kh; i++) {
                for (int j = 0; j < d.kw; j++) {
                    int phase = (i * d.dh % d.sh) * d.sw + j * d.dw % d.sw;
                    taps[i * d.kw + j] = phase * d.hq * d.wq + i * d.dh / d.sh * d.wq + j * d.dw / d.sw;
                }
            }
            shape = d;
            geometry = g;
        }
    }

    /** The spatial sizes of a 2-D depthwise problem: padded plane {@code hp × wp}, phases {@code hq × wq}. */
    private record Shape(int inH, int inW, int kh, int kw, int oh, int ow, int sh, int sw, int dh, int dw, int ph,
                         int pw, int hp, int wp, int hq, int wq) {
        Shape(ConvGeometry g) {
            this(g, (g.out()[1] - 1) * g.stride()[1] + (g.kernel()[1] - 1) * g.dilation()[1] + 1,
                    (g.out()[2] - 1) * g.stride()[2] + (g.kernel()[2] - 1) * g.dilation()[2] + 1);
        }

        private Shape(ConvGeometry g, int hp, int wp) {
            this(g.in()[1], g.in()[2], g.kernel()[1], g.kernel()[2], g.out()[1], g.out()[2], g.stride()[1],
                    g.stride()[2], g.dilation()[1], g.dilation()[2], g.padBegin()[1], g.padBegin()[2], hp, wp,
                    (hp + g.stride()[1] - 1) / g.stride()[1], (wp + g.stride()[2] - 1) / g.stride()[2]);
        }
    }

    private static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * Output plane {@code y[yo..]} of channel {@code m} from the input plane at {@code x[xo..]}.
     *
     * @param scratch from {@link Scratch#of} for this geometry; its padded plane's borders are zero from then on (each
     *     plane writes the same interior positions), so they are not cleared again per plane
     */
    static void plane(ConvGeometry g, float[] x, int xo, float[] w, float[] bias, Activation act, float[] y, int yo,
                      int m, Scratch scratch) {
        Shape d = scratch.shape;
        float[] p = scratch.p;
        float[] wide = scratch.wide;
        fillPhases(x, xo, d, p);
        int wo = m * d.kh * d.kw;
        int n = d.oh * d.wq;
        if (d.kh == 3 && d.kw == 3) {
            sweep3x3(p, scratch.taps, w, wo, wide, n);
        } else {
            sweep(p, scratch.taps, w, wo, d.kh * d.kw, wide, n);
        }
        float b = bias == null ? 0f : bias[m];
        if (b != 0f) {
            VectorActivation.applyWithBias(act, wide, 0, roundUp(n), b);
        } else {
            VectorActivation.apply(act, wide, 0, roundUp(n));
        }
        if (d.wq == d.ow) {
            VectorCopy.copy(wide, 0, y, yo, d.oh * d.ow);
        } else {
            VectorCopy.rows(wide, 0, d.wq, y, yo, d.ow, d.oh, d.ow);
        }
    }

    /** The phases of P: input (ih, iw) goes to padded (ih + ph, iw + pw); the rest was zeroed by the scratch. */
    private static void fillPhases(float[] x, int xo, Shape d, float[] p) {
        int c0 = Math.max(0, d.pw);               // first padded column that holds input
        int c1 = Math.min(d.wp, d.inW + d.pw);    // one past the last
        int r0 = Math.max(0, d.ph);               // the same for rows
        int r1 = Math.min(d.hp, d.inH + d.ph);
        if (c1 <= c0) {
            return;
        }
        int phasePlane = d.hq * d.wq;
        if (d.sh == 1 && d.sw == 1) {
            VectorCopy.rows(x, xo + (r0 - d.ph) * d.inW + c0 - d.pw, d.inW, p, r0 * d.wq + c0, d.wq, r1 - r0,
                    c1 - c0);
            return;
        }
        if (d.sw == 2 && c1 - c0 <= L) {
            deinterleaveNarrow(x, xo, d, p, c0, c1, r0, r1);
            return;
        }
        // Divisions are hoisted out of the loops: per value they cost more than the copy.
        for (int a = 0; a < d.sh; a++) {
            int pr = r0 + Math.floorMod(a - r0, d.sh); // first row of phase row a
            for (int q = pr / d.sh; pr < r1; pr += d.sh, q++) {
                int src = xo + (pr - d.ph) * d.inW - d.pw;
                int rowBase = a * d.sw * phasePlane + q * d.wq;
                if (d.sw == 2) {
                    deinterleave(x, src, c0, c1, p, rowBase, rowBase + phasePlane);
                    continue;
                }
                for (int b = 0; b < d.sw; b++) {
                    int pc = c0 + Math.floorMod(b - c0, d.sw);
                    for (int dst = (a * d.sw + b) * phasePlane + q * d.wq + pc / d.sw; pc < c1; pc += d.sw, dst++) {
                        p[dst] = x[src + pc];
                    }
                }
            }
        }
    }

    /**
     * {@link #deinterleave} for planes whose rows fit one vector (MobileNets' 14 × 14 and smaller maps), with the
     * three masks made once per plane instead of once per row: building them per row was most of a stride-2 plane's
     * time (JFR: the masks' Java fallbacks among the top frames), against a load, two permutes and two stores. A loop
     * of its own, because masks made here and handed to {@link #deinterleave} as arguments (or kept in a field) were
     * not intrinsified there: 20 µs instead of 10 for 96 planes of 14 × 14.
     */
    private static void deinterleaveNarrow(float[] x, int xo, Shape d, float[] p, int c0, int c1, int r0, int r1) {
        int len = c1 - c0;
        VectorMask<Float> load = S.indexInRange(0, len);
        VectorMask<Float> toFirst = S.indexInRange(0, (len + 1) / 2);
        VectorMask<Float> toSecond = S.indexInRange(0, len / 2);
        boolean evenStart = (c0 & 1) == 0;
        int phasePlane = d.hq * d.wq;
        for (int pr = r0; pr < r1; pr++) {
            int a = pr % d.sh;
            int rowBase = a * d.sw * phasePlane + pr / d.sh * d.wq;
            int even = rowBase;
            int odd = rowBase + phasePlane;
            FloatVector v = FloatVector.fromArray(S, x, xo + (pr - d.ph) * d.inW - d.pw + c0, load);
            // As in deinterleave: the even lanes go to column c0's phase from column c0 / 2, the odd lanes to the
            // other phase from column (c0 + 1) / 2.
            v.rearrange(EVEN_FIRST).intoArray(p, (evenStart ? even : odd) + (c0 >> 1), toFirst);
            if (len > 1) {
                v.rearrange(ODD_FIRST).intoArray(p, (evenStart ? odd : even) + ((c0 + 1) >> 1), toSecond);
            }
        }
    }

    /**
     * Padded columns [c0, c1) of one row (values at {@code x[src + column]}) into the rows of phase columns 0 and 1
     * at {@code even} and {@code odd}: lanes compressed in vectors rather than one scalar store per value (those
     * stores were 60 % of a stride-2 plane's time). Only the row's last, partial vector makes masks.
     */
    private static void deinterleave(float[] x, int src, int c0, int c1, float[] p, int even, int odd) {
        int pc = c0;
        // Whole vectors: an unmasked load and half the lanes to each phase under one constant mask.
        for (; pc + L <= c1; pc += L) {
            FloatVector v = FloatVector.fromArray(S, x, src + pc);
            // Lane l holds column pc + l: the even lanes go to phase pc % 2 from column pc / 2, the odd lanes to the
            // other phase from column (pc + 1) / 2 (L is even, so pc keeps c0's parity).
            int first = (pc & 1) == 0 ? even : odd;
            int second = (pc & 1) == 0 ? odd : even;
            v.rearrange(EVEN_FIRST).intoArray(p, first + (pc >> 1), HALF);
            v.rearrange(ODD_FIRST).intoArray(p, second + ((pc + 1) >> 1), HALF);
        }
        if (pc < c1) {
            int len = c1 - pc;
            FloatVector v = FloatVector.fromArray(S, x, src + pc, S.indexInRange(0, len));
            int first = (pc & 1) == 0 ? even : odd;
            int second = (pc & 1) == 0 ? odd : even;
            v.rearrange(EVEN_FIRST).intoArray(p, first + (pc >> 1), S.indexInRange(0, (len + 1) / 2));
            if (len > 1) {
                v.rearrange(ODD_FIRST).intoArray(p, second + ((pc + 1) >> 1), S.indexInRange(0, len / 2));
            }
        }
    }

    /** wide[t] = Σ_tap w[tap] · P[taps[tap] + t] for t in [0, n), whole vectors (n rounded up), taps in order. */
    private static void sweep(float[] p, int[] taps, float[] w, int wo, int kk, float[] wide, int n) {
        for (int t = 0; t < n; t += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int tap = 0; tap < kk; tap++) {
                acc = FloatVector.fromArray(S, p, taps[tap] + t).fma(FloatVector.broadcast(S, w[wo + tap]), acc);
            }
            acc.intoArray(wide, t);
        }
    }

    /** {@link #sweep} for the common 3×3 window, its nine weights and offsets held in registers. */
    private static void sweep3x3(float[] p, int[] taps, float[] w, int wo, float[] wide, int n) {
        FloatVector w0 = FloatVector.broadcast(S, w[wo]);
        FloatVector w1 = FloatVector.broadcast(S, w[wo + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wo + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wo + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wo + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wo + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wo + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wo + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wo + 8]);
        int o0 = taps[0];
        int o1 = taps[1];
        int o2 = taps[2];
        int o3 = taps[3];
        int o4 = taps[4];
        int o5 = taps[5];
        int o6 = taps[6];
        int o7 = taps[7];
        int o8 = taps[8];
        for (int t = 0; t < n; t += L) {
            // Same order of accumulation as the generic sweep (row by row, left to right), so both round alike.
            FloatVector acc = FloatVector.fromArray(S, p, o0 + t).fma(w0, FloatVector.zero(S));
            acc = FloatVector.fromArray(S, p, o1 + t).fma(w1, acc);
            acc = FloatVector.fromArray(S, p, o2 + t).fma(w2, acc);
            acc = FloatVector.fromArray(S, p, o3 + t).fma(w3, acc);
            acc = FloatVector.fromArray(S, p, o4 + t).fma(w4, acc);
            acc = FloatVector.fromArray(S, p, o5 + t).fma(w5, acc);
            acc = FloatVector.fromArray(S, p, o6 + t).fma(w6, acc);
            acc = FloatVector.fromArray(S, p, o7 + t).fma(w7, acc);
            acc = FloatVector.fromArray(S, p, o8 + t).fma(w8, acc);
            acc.intoArray(wide, t);
        }
    }
}
