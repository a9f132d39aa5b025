package dev.nnzip.kernels;

import java.util.Objects;

/**
 * Window pooling over NC(D)(H)W tensors (the ONNX MaxPool, AveragePool, LpPool and Global*Pool operators). The
 * geometry's in/out channels are both C and groups is 1; windows follow {@link ConvGeometry}: output pixel o covers
 * input positions {@code o·stride − padBegin + t·dilation} for {@code t < kernel}. Positions outside the input are
 * padding: they never win a max, count toward an average only with {@code countIncludePad} (and then only up to {@code
 * in + padEnd}, as ONNX Runtime does, so a ceil-mode window hanging past the end padding is not counted), and add
 * nothing to an Lp norm. One task per (image, channel) plane.
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * Max pooling. {@code indices} (nullable) receives the flat index of each maximum in the input tensor, row-major
     * over (n, c, spatial), or column-major over the spatial axes when {@code columnMajorIndices} (ONNX storage_order =
     * 1). Ties keep the first element in row-major window order; a window with no input element yields 0 and index -1.
     */
    public static void max(ConvGeometry g, float[] x, float[] y, long[] indices, boolean columnMajorIndices,
                           Parallel par) {
        check(g, x, y);
        if (indices == null && g.in()[0] == 1 && g.kernel()[0] == 1) {
            max2d(g, x, y, par);
            return;
        }
        int[] in = g.in();
        int[] out = g.out();
        int inPlane = g.inPlane();
        int outPlane = g.outPlane();
        planes(g, par, pl -> {
            int xo = pl * inPlane;
            int yo = pl * outPlane;
            Window w = new Window(g);
            for (int o0 = 0; o0 < out[0]; o0++) {
                for (int o1 = 0; o1 < out[1]; o1++) {
                    for (int o2 = 0; o2 < out[2]; o2++) {
                        w.at(o0, o1, o2);
                        float best = 0f;
                        int bi0 = -1;
                        int bi1 = -1;
                        int bi2 = -1;
                        for (int i0 = w.lo[0]; i0 < w.hi[0]; i0 += w.step[0]) {
                            for (int i1 = w.lo[1]; i1 < w.hi[1]; i1 += w.step[1]) {
                                int row = xo + (i0 * in[1] + i1) * in[2];
                                for (int i2 = w.lo[2]; i2 < w.hi[2]; i2 += w.step[2]) {
                                    float v = x[row + i2];
                                    if (bi0 < 0 || v > best) {
                                        best = v;
                                        bi0 = i0;
                                        bi1 = i1;
                                        bi2 = i2;
                                    }
                                }
                            }
                        }
                        int oi = yo + (o0 * out[1] + o1) * out[2] + o2;
                        y[oi] = best;
                        if (indices != null) {
                            long spatial = columnMajorIndices
                                    ? bi0 + (long) bi1 * in[0] + (long) bi2 * in[0] * in[1]
                                    : (bi0 * (long) in[1] + bi1) * in[2] + bi2;
                            indices[oi] = bi0 < 0 ? -1 : (long) pl * inPlane + spatial;
                        }
                    }
                }
            }
        });
    }

    /**
     * Max pooling of 1-D/2-D planes without indices, the common case (every CNN's MaxPool): the same result as the
     * general loop, but each output column's window bounds are worked out once per call instead of once per pixel,
     * which made the general loop 60 % of LeNet-5's time (JFR). Same tie and NaN rules: the first element in window
     * order starts the running maximum and only a strictly greater one replaces it.
     */
    private static void max2d(ConvGeometry g, float[] x, float[] y, Parallel par) {
        int inW = g.in()[2];
        int outH = g.out()[1];
        int outW = g.out()[2];
        int[] colLo = new int[outW];
        int[] colHi = new int[outW];
        int[] rowLo = new int[outH];
        int[] rowHi = new int[outH];
        windowBounds(g, 2, colLo, colHi);
        windowBounds(g, 1, rowLo, rowHi);
        int dh = g.dilation()[1];
        int dw = g.dilation()[2];
        int inPlane = g.inPlane();
        int outPlane = g.outPlane();
        // Without padding every window lies inside the input (the usual CNN MaxPool): the vector path gathers L
        // output pixels' taps at once, whatever the row width, and leaves the last partial vector to the scalar loop.
        int[] gather = KernelSupport.vectorEnabled() && windowsInside(g) ? VectorPooling.windowStarts(g) : null;
        planes(g, par, pl -> {
            int xo = pl * inPlane;
            int yo = pl * outPlane;
            int done = gather == null ? 0 : VectorPooling.maxPlane(g, x, xo, y, yo, gather);
            for (int oh = done / outW; oh < outH; oh++) {
                int from = oh == done / outW ? done % outW : 0;
                maxColumns(x, xo, inW, rowLo[oh], rowHi[oh], dh, dw, colLo, colHi, y, yo + oh * outW, from, outW);
            }
        });
    }

    /** True if no window of a 2-D pooling reaches into padding (so every tap is an input element). */
    private static boolean windowsInside(ConvGeometry g) {
        for (int a = 1; a < 3; a++) {
            int span = (g.kernel()[a] - 1) * g.dilation()[a] + 1;
            if (g.padBegin()[a] != 0 || (g.out()[a] - 1) * g.stride()[a] + span > g.in()[a]) {
                return false;
            }
        }
        return true;
    }

    /** Scalar max pooling of output columns [from, to) of one output row: the reference the vector path must match. */
    private static void maxColumns(float[] x, int xo, int inW, int h0, int h1, int dh, int dw, int[] colLo,
                                   int[] colHi, float[] y, int yRow, int from, int to) {
        for (int ow = from; ow < to; ow++) {
            int w0 = colLo[ow];
            int w1 = colHi[ow];
            if (h0 >= h1 || w0 >= w1) { // a window entirely in the padding
                y[yRow + ow] = 0f;
                continue;
            }
            // Seeded with the first tap; a select rather than an if: on real activations "is this tap larger" is a
            // coin toss, and a mispredicted branch per tap is most of the cost of such a small loop.
            float best = x[xo + h0 * inW + w0];
            for (int ih = h0; ih < h1; ih += dh) {
                int row = xo + ih * inW;
                for (int iw = w0; iw < w1; iw += dw) {
                    float v = x[row + iw];
                    best = v > best ? v : best;
                }
            }
            y[yRow + ow] = best;
        }
    }

    /** Per output position along {@code axis}: the first input tap and the end (exclusive) of the window's taps. */
    private static void windowBounds(ConvGeometry g, int axis, int[] lo, int[] hi) {
        Window w = new Window(g);
        for (int o = 0; o < lo.length; o++) {
            w.axis(axis, o);
            lo[o] = w.lo[axis];
            hi[o] = w.hi[axis];
        }
    }

    /** Average pooling; see the class comment for what {@code countIncludePad} counts. */
    public static void average(ConvGeometry g, float[] x, float[] y, boolean countIncludePad, Parallel par) {
        check(g, x, y);
        window(g, x, y, par, countIncludePad ? Mode.AVERAGE_WITH_PAD : Mode.AVERAGE, 0);
    }

    /** Lp pooling: {@code (Σ |x|^p)^(1/p)} over the window's input elements. */
    public static void lp(ConvGeometry g, float[] x, float[] y, float p, Parallel par) {
        check(g, x, y);
        if (!(p > 0)) {
            throw new IllegalArgumentException("Lp pooling needs p > 0, got " + p);
        }
        window(g, x, y, par, Mode.LP, p);
    }

    /** Mean of each of {@code planes} runs of {@code size} values. */
    public static void globalAverage(float[] x, int planes, int size, float[] y, Parallel par) {
        par.forRange(planes, Math.max(1, 4096 / Math.max(1, size)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                // Four partial sums: with one chain of dependent double additions (4 cycles each) MobileNetV2's pool
                // over 32 x 512 planes of 49 values took 0.43 ms, 3 % of the model. A double holds a sum of floats
                // exactly unless their exponents are ~29 binades apart, so the order rarely changes the float result.
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int i = pl * size;
                int e = i + size;
                for (; i + 4 <= e; i += 4) {
                    s0 += x[i];
                    s1 += x[i + 1];
                    s2 += x[i + 2];
                    s3 += x[i + 3];
                }
                for (; i < e; i++) {
                    s0 += x[i];
                }
                y[pl] = (float) ((s0 + s1 + (s2 + s3)) / size);
            }
        });
    }

    /** Maximum of each of {@code planes} runs of {@code size} values (NaN if the run contains NaN). */
    public static void globalMax(float[] x, int planes, int size, float[] y, Parallel par) {
        par.forRange(planes, Math.max(1, 4096 / Math.max(1, size)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = pl * size, e = i + size; i < e; i++) {
                    m = Math.max(m, x[i]);
                }
                y[pl] = size == 0 ? 0f : m;
            }
        });
    }

    private enum Mode { AVERAGE, AVERAGE_WITH_PAD, LP }

    private static void window(ConvGeometry g, float[] x, float[] y, Parallel par, Mode mode, float p) {
        int[] in = g.in();
        int[] out = g.out();
        int inPlane = g.inPlane();
        int outPlane = g.outPlane();
        planes(g, par, pl -> {
            int xo = pl * inPlane;
            int yo = pl * outPlane;
            Window w = new Window(g);
            for (int o0 = 0; o0 < out[0]; o0++) {
                for (int o1 = 0; o1 < out[1]; o1++) {
                    for (int o2 = 0; o2 < out[2]; o2++) {
                        w.at(o0, o1, o2);
                        double sum = 0;
                        int count = 0;
                        for (int i0 = w.lo[0]; i0 < w.hi[0]; i0 += w.step[0]) {
                            for (int i1 = w.lo[1]; i1 < w.hi[1]; i1 += w.step[1]) {
                                int row = xo + (i0 * in[1] + i1) * in[2];
                                for (int i2 = w.lo[2]; i2 < w.hi[2]; i2 += w.step[2]) {
                                    float v = x[row + i2];
                                    sum += mode == Mode.LP ? Math.pow(Math.abs(v), p) : v;
                                    count++;
                                }
                            }
                        }
                        double r = switch (mode) {
                            case AVERAGE -> sum / count;
                            case AVERAGE_WITH_PAD -> sum / w.paddedCount;
                            case LP -> Math.pow(sum, 1.0 / p);
                        };
                        y[yo + (o0 * out[1] + o1) * out[2] + o2] = (float) r;
                    }
                }
            }
        });
    }

    /** The input positions one output pixel's window covers, per axis {@code [lo, hi)} in steps of the dilation. */
    private static final class Window {
        final int[] lo = new int[3];
        final int[] hi = new int[3];
        final int[] step;
        /** Taps inside the padded input (input plus both paddings), the count_include_pad divisor. */
        int paddedCount;
        private final ConvGeometry g;

        Window(ConvGeometry g) {
            this.g = g;
            this.step = g.dilation();
        }

        void at(int o0, int o1, int o2) {
            paddedCount = 1;
            axis(0, o0);
            axis(1, o1);
            axis(2, o2);
        }

        void axis(int a, int o) {
            int k = g.kernel()[a];
            int d = g.dilation()[a];
            int start = o * g.stride()[a] - g.padBegin()[a];
            int in = g.in()[a];
            // First tap at or after 0, last tap before in, in steps of d from start.
            int first = start >= 0 ? 0 : (-start + d - 1) / d;
            int last = Math.min(k - 1, in - 1 - start < 0 ? -1 : (in - 1 - start) / d); // inclusive
            lo[a] = start + first * d;
            hi[a] = last >= first ? start + last * d + 1 : lo[a];
            int padEndLimit = in + g.padEnd()[a]; // taps at positions < in + padEnd count as padding
            int firstPadded = start >= -g.padBegin()[a] ? 0 : (-g.padBegin()[a] - start + d - 1) / d;
            int lastPadded = Math.min(k - 1, padEndLimit - 1 - start < 0 ? -1 : (padEndLimit - 1 - start) / d);
            paddedCount *= Math.max(0, lastPadded - firstPadded + 1);
        }
    }

    private interface PlaneBody {
        void run(int plane);
    }

    private static void planes(ConvGeometry g, Parallel par, PlaneBody body) {
        int planes = g.batch() * g.inChannels();
        int work = g.outPlane() * g.kernelSize();
        Parallel p = par == null ? Parallel.sequential() : par;
        p.forRange(planes, Math.max(1, KernelSupport.MIN_PARALLEL_WORK / Math.max(1, work)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                body.run(pl);
            }
        });
    }

    private static void check(ConvGeometry g, float[] x, float[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (g.inChannels() != g.outChannels()) {
            throw new IllegalArgumentException("pooling keeps the channel count, got " + g);
        }
        long xs = (long) g.batch() * g.inChannels() * g.inPlane();
        long ys = (long) g.batch() * g.outChannels() * g.outPlane();
        if (x.length < xs || y.length < ys) {
            throw new IllegalArgumentException(g + " needs x >= " + xs + ", y >= " + ys + " floats; got x="
                    + x.length + ", y=" + y.length);
        }
    }
}
