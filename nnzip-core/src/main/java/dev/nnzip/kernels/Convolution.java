package dev.nnzip.kernels;

import java.util.Objects;

/**
 * Forward convolution (the ONNX Conv operator) with fused bias and activation:
 * {@code y[n, m, o] = act(bias[m] + Σ_{c in group(m), k} w[m, c, k] · x[n, c, o·stride − padBegin + k·dilation])}.
 *
 * <p>Four algorithms, picked from the geometry:
 * <ul>
 *   <li>depthwise (groups == input channels, 1-D/2-D): a direct kernel ({@code Depthwise}), vectorized along the
 *       width;</li>
 *   <li>stride 1, 1-D/2-D (vector path): an implicit GEMM straight from a padded copy of the input
 *       ({@code ShiftedConvolution}), no column matrix;</li>
 *   <li>pointwise (1×1, stride 1, no padding): the input already is the column matrix, one SGEMM per image and
 *       group;</li>
 *   <li>otherwise im2col + SGEMM: columns for a chunk of output pixels are packed straight into the SGEMM's panel
 *       layout, then multiplied by the group's filters ({@code W[M/g, C/g·k]}), bias and activation applied as the
 *       SGEMM's epilogue.</li>
 * </ul>
 * Work is split over images × groups × pixel chunks when there are enough of them, otherwise inside each SGEMM.
 */
public final class Convolution {
    /** Target size of one chunk's column matrix in floats (about half of a core's L2 cache). */
    private static final int CHUNK_FLOATS = 1 << 17;
    private static final ThreadLocal<float[][]> COLUMNS = ThreadLocal.withInitial(() -> new float[1][0]);

    private Convolution() {
    }

    /**
     * Runs the convolution. {@code x}: {@code [N, C, in...]}; {@code w}: {@code [M, C/groups, kernel...]};
     * {@code bias}: {@code [M]} or null; {@code y}: {@code [N, M, out...]}, fully overwritten.
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                               Parallel parallel) {
        forward(g, x, w, bias, act, y, parallel, KernelSupport.vectorEnabled());
    }

    /**
     * The filters {@code w} repacked for the kernel {@code g} runs on, to pass to
     * {@link #forward(ConvGeometry, float[], float[], PackedFilters, float[], Activation, float[], Parallel)} on later
     * calls with the same filters; null when that kernel reads the filters as they are.
     */
    public static PackedFilters packFilters(ConvGeometry g, float[] w) {
        if (!usesShifted(g, KernelSupport.vectorEnabled())) {
            return null;
        }
        return PointwiseByPixels.preferred(g) ? new PackedFilters(g, null, PointwiseByPixels.pack(g, w))
                : new PackedFilters(g, ShiftedConvolution.packFilters(g, w), null);
    }

    /** As {@link #forward(ConvGeometry, float[], float[], float[], Activation, float[], Parallel)} with filters
     * packed by {@link #packFilters} (or null). */
    public static void forward(ConvGeometry g, float[] x, float[] w, PackedFilters packed, float[] bias,
                               Activation act, float[] y, Parallel parallel) {
        forward(g, x, w, packed, bias, act, y, parallel, KernelSupport.vectorEnabled());
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                        Parallel parallel, boolean vector) {
        forward(g, x, w, null, bias, act, y, parallel, vector);
    }

    private static boolean usesShifted(ConvGeometry g, boolean vector) {
        // Pointwise convolutions too: the plain per-image SGEMM packed the filters (A) again for every image and call,
        // which for a MobileNet's [512, 48] · [48, 49] products cost more than the multiplication (JFR).
        return vector && !Depthwise.supports(g) && ShiftedConvolution.supports(g);
    }

    private static void forward(ConvGeometry g, float[] x, float[] w, PackedFilters packed, float[] bias,
                                Activation act, float[] y, Parallel parallel, boolean vector) {
        check(g, x, w, bias, y);
        Activation a = act == null ? Activation.none() : act;
        Parallel par = parallel == null ? Parallel.sequential() : parallel;
        if (g.batch() == 0 || g.outChannels() == 0 || g.outPlane() == 0) {
            return;
        }
        if (Depthwise.supports(g)) {
            Depthwise.forward(g, x, w, bias, a, y, par, vector);
        } else if (usesShifted(g, vector) && PointwiseByPixels.preferred(g)) {
            PackedB wt = packed != null && packed.fits(g) && packed.pixelRows != null ? packed.pixelRows
                    : PointwiseByPixels.pack(g, w);
            PointwiseByPixels.forward(g, x, wt, bias, a, y, par);
        } else if (usesShifted(g, vector)) {
            float[][] panels = packed != null && packed.fits(g) && packed.panels != null ? packed.panels
                    : ShiftedConvolution.packFilters(g, w);
            ShiftedConvolution.forward(g, x, panels, bias, a, y, par);
        } else if (g.isPointwise()) {
            pointwise(g, x, w, bias, a, y, par, vector);
        } else {
            im2col(g, x, w, bias, a, y, par, vector);
        }
    }

    private static void check(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(y, "y");
        long xs = (long) g.batch() * g.inChannels() * g.inPlane();
        long ws = (long) g.outChannels() * g.columnRows();
        long ys = (long) g.batch() * g.outChannels() * g.outPlane();
        if (x.length < xs || w.length < ws || y.length < ys || (bias != null && bias.length < g.outChannels())) {
            throw new IllegalArgumentException(g + " needs x >= " + xs + ", w >= " + ws + ", y >= " + ys
                    + ", bias >= " + g.outChannels() + " floats; got x=" + x.length + ", w=" + w.length + ", y="
                    + y.length + ", bias=" + (bias == null ? "none" : bias.length));
        }
    }

    private static Epilogue epilogue(float[] bias, int group, int perGroup, Activation act) {
        return bias == null ? Epilogue.of(act) : Epilogue.rowBias(bias, group * perGroup, act);
    }

    private static void pointwise(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                                  Parallel par, boolean vector) {
        int units = g.batch() * g.groups();
        int cg = g.inPerGroup();
        int mg = g.outPerGroup();
        int plane = g.outPlane();
        boolean outer = units >= par.threads();
        Parallel inner = outer ? Parallel.sequential() : par;
        Parallel.RangeBody body = (from, to) -> {
            for (int u = from; u < to; u++) {
                int n = u / g.groups();
                int grp = u % g.groups();
                GemmProblem p = new GemmProblem(false, false, mg, plane, cg, 1f,
                        w, grp * mg * cg, cg,
                        x, (n * g.inChannels() + grp * cg) * plane, plane, null,
                        0f, y, (n * g.outChannels() + grp * mg) * plane, plane, epilogue(bias, grp, mg, act));
                Sgemm.run(p, inner, vector);
            }
        };
        if (outer) {
            par.forRange(units, 1, body);
        } else {
            body.run(0, units);
        }
    }

    private static void im2col(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                               Parallel par, boolean vector) {
        int rows = g.columnRows();
        int plane = g.outPlane();
        int nr = PackedB.panelWidth(vector);
        int chunk = Math.min(roundUp(plane, nr), Math.max(nr, CHUNK_FLOATS / rows / nr * nr));
        int chunks = (plane + chunk - 1) / chunk;
        int groups = g.groups();
        int units = g.batch() * groups * chunks;
        int mg = g.outPerGroup();
        boolean outer = units >= par.threads();
        Parallel inner = outer ? Parallel.sequential() : par;
        Parallel.RangeBody body = (from, to) -> {
            float[][] holder = COLUMNS.get();
            for (int u = from; u < to; u++) {
                int n = u / (groups * chunks);
                int grp = (u / chunks) % groups;
                int p0 = (u % chunks) * chunk;
                int np = Math.min(chunk, plane - p0);
                int need = roundUp(np, nr) * rows;
                if (holder[0].length < need) {
                    holder[0] = new float[need];
                }
                float[] cols = holder[0];
                Im2col.pack(g, x, (n * g.inChannels() + grp * g.inPerGroup()) * g.inPlane(), p0, np, cols, nr);
                PackedB packed = new PackedB(rows, np, nr, cols);
                GemmProblem p = new GemmProblem(false, false, mg, np, rows, 1f, w, grp * mg * rows, rows,
                        null, 0, 0, packed, 0f, y, (n * g.outChannels() + grp * mg) * plane + p0, plane,
                        epilogue(bias, grp, mg, act));
                Sgemm.run(p, inner, vector);
            }
        };
        if (outer) {
            par.forRange(units, 1, body);
        } else {
            body.run(0, units);
        }
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
