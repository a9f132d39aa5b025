package dev.nnzip.kernels.blocked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Convolution;
import dev.nnzip.kernels.KernelSupport;
import dev.nnzip.kernels.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blocked kernels against the plain NCHW convolution and pooling, through the reorders, over random shapes with odd
 * edges (channel counts that are not a multiple of the block, maps narrower than a tile, pads, strides, dilations),
 * scalar path at several block sizes and the vector path at the vector's block, on one and two threads.
 */
class BlockedKernelsDifferentialTest {
    private static final double REL = 1e-4;
    private static final Activation[] ACTS = {Activation.none(), Activation.relu(), Activation.clip(0, 6),
        Activation.sigmoid(), Activation.leakyRelu(0.1f)};
    private static Parallel two;

    @BeforeAll
    static void start() {
        two = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        two.close();
    }

    private static int[] blocks() {
        return KernelSupport.vectorEnabled() ? new int[] {4, 7, BlockedLayout.preferredBlock()} : new int[] {4, 7, 8};
    }

    @Test
    void pointwiseMatchesPlainConvolution() {
        Random r = new Random(11);
        for (int t = 0; t < 120; t++) {
            int n = 1 + r.nextInt(3);
            int c = 1 + r.nextInt(t % 3 == 0 ? 70 : 20);
            int m = 1 + r.nextInt(t % 4 == 0 ? 70 : 40);
            int h = 1 + r.nextInt(9);
            int wd = 1 + r.nextInt(9);
            int plane = h * wd;
            Activation act = ACTS[r.nextInt(ACTS.length)];
            boolean withSum = r.nextBoolean();
            float[] x = random(r, n * c * plane);
            float[] w = random(r, m * c);
            float[] bias = r.nextBoolean() ? random(r, m) : null;
            float[] sum = withSum ? random(r, n * m * plane) : null;
            ConvGeometry g = ConvGeometry.of(n, c, m, 1, new int[] {h, wd}, new int[] {1, 1}, new int[] {1, 1},
                    new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {h, wd});
            float[] expect = new float[n * m * plane];
            Convolution.forward(g, x, w, bias, Activation.none(), expect, Parallel.sequential());
            for (int i = 0; i < expect.length; i++) {
                expect[i] = act.apply(expect[i] + (sum == null ? 0 : sum[i]));
            }
            for (int b : blocks()) {
                for (boolean vector : vectorModes(b)) {
                    for (Parallel par : new Parallel[] {Parallel.sequential(), two}) {
                        float[] xb = toBlocked(x, n, c, plane, b);
                        float[] sb = sum == null ? null : toBlocked(sum, n, m, plane, b);
                        float[] yb = new float[n * BlockedLayout.blocks(m, b) * plane * b];
                        BlockedPointwise.forward(xb, n, c, m, plane, b, BlockedPointwise.packFilters(w, m, c, b),
                                BlockedPointwise.packBias(bias, m, b), sb, act, yb, par, vector);
                        float[] y = new float[expect.length];
                        Reorder.fromBlocked(yb, n, m, plane, b, y, Parallel.sequential());
                        assertClose(y, expect, "pointwise " + Arrays.asList(n, c, m, h, wd, b, vector, act));
                    }
                }
            }
        }
    }

    @Test
    void depthwiseMatchesPlainConvolution() {
        Random r = new Random(12);
        for (int t = 0; t < 150; t++) {
            int n = 1 + r.nextInt(2);
            int c = 1 + r.nextInt(40);
            int h = 1 + r.nextInt(15);
            int wd = 1 + r.nextInt(15);
            int kh = 1 + r.nextInt(t % 2 == 0 ? 3 : 5);
            int kw = t % 2 == 0 ? kh : 1 + r.nextInt(5);
            int sh = 1 + r.nextInt(2);
            int sw = 1 + r.nextInt(2);
            int dh = t % 5 == 0 ? 2 : 1;
            int dw = t % 7 == 0 ? 2 : 1;
            int[] pb = {r.nextInt(kh), r.nextInt(kw)};
            int[] pe = {r.nextInt(kh), r.nextInt(kw)};
            int oh = ConvGeometry.convOutput(h, kh, sh, dh, pb[0], pe[0]);
            int ow = ConvGeometry.convOutput(wd, kw, sw, dw, pb[1], pe[1]);
            if (oh < 1 || ow < 1) {
                continue;
            }
            ConvGeometry g = ConvGeometry.of(n, c, c, c, new int[] {h, wd}, new int[] {kh, kw},
                    new int[] {sh, sw}, new int[] {dh, dw}, pb, pe, new int[] {oh, ow});
            Activation act = ACTS[r.nextInt(ACTS.length)];
            float[] x = random(r, n * c * h * wd);
            float[] w = random(r, c * kh * kw);
            float[] bias = r.nextBoolean() ? random(r, c) : null;
            float[] expect = new float[n * c * oh * ow];
            Convolution.forward(g, x, w, bias, act, expect, Parallel.sequential());
            for (int b : blocks()) {
                for (boolean vector : vectorModes(b)) {
                    for (Parallel par : new Parallel[] {Parallel.sequential(), two}) {
                        float[] xb = toBlocked(x, n, c, h * wd, b);
                        float[] yb = new float[n * BlockedLayout.blocks(c, b) * oh * ow * b];
                        BlockedDepthwise.forward(g, xb, BlockedDepthwise.packFilters(w, c, kh * kw, b),
                                BlockedPointwise.packBias(bias, c, b), act, yb, b, par, vector);
                        float[] y = new float[expect.length];
                        Reorder.fromBlocked(yb, n, c, oh * ow, b, y, Parallel.sequential());
                        assertClose(y, expect, "depthwise " + g + " block " + b + " vector " + vector);
                    }
                }
            }
        }
    }

    @Test
    void plainInputConvMatchesPlainConvolution() {
        denseKernelMatchesPlainConvolution(new Random(15), 4, 14, false);
    }

    @Test
    void denseConvMatchesPlainConvolution() {
        denseKernelMatchesPlainConvolution(new Random(16), 40, 16, true);
    }

    /**
     * The stem kernel ({@code blockedInput} false: plain input) or the dense one (blocked input) over 80 random
     * geometries, into NaN-filled outputs (every output must be written).
     */
    private static void denseKernelMatchesPlainConvolution(Random r, int maxChannels, int maxSide,
                                                           boolean blockedInput) {
        for (int t = 0; t < 80; t++) {
            ConvGeometry g = denseGeometry(r, t, maxChannels, maxSide);
            if (g == null) {
                continue;
            }
            int n = g.batch();
            int c = g.inChannels();
            int m = g.outChannels();
            int plane = g.in()[1] * g.in()[2];
            int taps = g.kernel()[1] * g.kernel()[2];
            int outPlane = g.out()[1] * g.out()[2];
            Activation act = ACTS[r.nextInt(ACTS.length)];
            float[] x = random(r, n * c * plane);
            float[] w = random(r, m * c * taps);
            float[] bias = r.nextBoolean() ? random(r, m) : null;
            float[] expect = new float[n * m * outPlane];
            Convolution.forward(g, x, w, bias, act, expect, Parallel.sequential());
            for (int b : blocks()) {
                float[] input = blockedInput ? toBlocked(x, n, c, plane, b) : x;
                float[] packed = blockedInput ? BlockedDenseConv.packFilters(w, m, c, taps, b)
                        : PlainInputConv.packFilters(w, m, c, taps, b);
                for (boolean vector : vectorModes(b)) {
                    for (Parallel par : new Parallel[] {Parallel.sequential(), two}) {
                        float[] yb = new float[n * BlockedLayout.blocks(m, b) * outPlane * b];
                        Arrays.fill(yb, Float.NaN);
                        if (blockedInput) {
                            BlockedDenseConv.forward(g, input, packed, BlockedPointwise.packBias(bias, m, b), act, yb,
                                    b, par, vector);
                        } else {
                            PlainInputConv.forward(g, input, packed, BlockedPointwise.packBias(bias, m, b), act, yb, b,
                                    par, vector);
                        }
                        float[] y = new float[expect.length];
                        Reorder.fromBlocked(yb, n, m, outPlane, b, y, Parallel.sequential());
                        assertClose(y, expect, (blockedInput ? "dense conv " : "plain-input conv ") + g + " block "
                                + b + " vector " + vector);
                    }
                }
            }
        }
    }

    @Test
    void globalAverageMatchesPlainMean() {
        Random r = new Random(13);
        for (int t = 0; t < 60; t++) {
            int n = 1 + r.nextInt(3);
            int c = 1 + r.nextInt(50);
            int plane = 1 + r.nextInt(60);
            float[] x = random(r, n * c * plane);
            float[] expect = new float[n * c];
            for (int i = 0; i < n * c; i++) {
                double s = 0;
                for (int p = 0; p < plane; p++) {
                    s += x[i * plane + p];
                }
                expect[i] = (float) (s / plane);
            }
            for (int b : blocks()) {
                for (boolean vector : vectorModes(b)) {
                    float[] y = new float[n * c];
                    BlockedPooling.globalAverage(toBlocked(x, n, c, plane, b), n, c, plane, b, y, two, vector);
                    assertClose(y, expect, "global average " + Arrays.asList(n, c, plane, b, vector));
                }
            }
        }
    }

    @Test
    void reorderRoundTripsAndZeroesPadding() {
        Random r = new Random(14);
        float[] x = random(r, 2 * 5 * 3);
        float[] xb = new float[2 * 2 * 3 * 4];
        Arrays.fill(xb, Float.NaN);
        Reorder.toBlocked(x, 2, 5, 3, 4, xb, Parallel.sequential());
        assertThat(xb[(1 * 3 + 0) * 4 + 1]).isZero(); // image 0, block 1, pixel 0, lane 1 = channel 5 (padding)
        float[] back = new float[x.length];
        Reorder.fromBlocked(xb, 2, 5, 3, 4, back, two);
        assertThat(back).containsExactly(x);
    }

    /**
     * A random group-1 2-D convolution of up to {@code maxChannels} input channels on maps up to {@code maxSide}:
     * kernels 1–4, strides 1–2, dilation 2 on some trials, asymmetric pads; null when no output pixel remains.
     */
    private static ConvGeometry denseGeometry(Random r, int t, int maxChannels, int maxSide) {
        int n = 1 + r.nextInt(2);
        int c = 1 + r.nextInt(maxChannels);
        int m = 1 + r.nextInt(40);
        int h = 1 + r.nextInt(maxSide);
        int wd = 1 + r.nextInt(maxSide);
        int kh = 1 + r.nextInt(4);
        int kw = 1 + r.nextInt(4);
        int sh = 1 + r.nextInt(2);
        int sw = 1 + r.nextInt(2);
        int dh = t % 5 == 0 ? 2 : 1;
        int dw = t % 7 == 0 ? 2 : 1;
        int[] pb = {r.nextInt(kh), r.nextInt(kw)};
        int[] pe = {r.nextInt(kh), r.nextInt(kw)};
        int oh = ConvGeometry.convOutput(h, kh, sh, dh, pb[0], pe[0]);
        int ow = ConvGeometry.convOutput(wd, kw, sw, dw, pb[1], pe[1]);
        if (oh < 1 || ow < 1) {
            return null;
        }
        return ConvGeometry.of(n, c, m, 1, new int[] {h, wd}, new int[] {kh, kw}, new int[] {sh, sw},
                new int[] {dh, dw}, pb, pe, new int[] {oh, ow});
    }

    private static boolean[] vectorModes(int block) {
        return BlockedLayout.vectorFits(block) ? new boolean[] {false, true} : new boolean[] {false};
    }

    private static float[] toBlocked(float[] x, int n, int c, int plane, int b) {
        float[] y = new float[n * BlockedLayout.blocks(c, b) * plane * b];
        Reorder.toBlocked(x, n, c, plane, b, y, Parallel.sequential());
        return y;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static void assertClose(float[] actual, float[] expect, String what) {
        for (int i = 0; i < expect.length; i++) {
            double tol = REL * Math.max(1, Math.abs(expect[i])) * 10;
            if (!(Math.abs(actual[i] - expect[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expect[i]);
            }
        }
    }
}
