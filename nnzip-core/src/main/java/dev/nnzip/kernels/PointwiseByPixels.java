package dev.nnzip.kernels;

/**
 * A 1×1 convolution on a small feature map computed with the pixels as the GEMM's rows: per image
 * {@code Yᵀ[HW × M] = Xᵀ[HW × C] · Wᵀ[C × M]}, then transposed into NCHW.
 *
 * <p>Why: the implicit GEMM of {@link ShiftedConvolution} puts the output channels on the micro-kernel's MR = 6 rows
 * and the pixels on its NR = 64 columns. A MobileNetV2 on 28 × 28 inputs ends on 4 × 4 and 2 × 2 maps, where one image
 * fills 16 or 4 of the 64 columns (at batch 1 there are no other images to put beside it). Swapped, the pixels fill
 * MR-row panels (16 of 18, 4 of 6) and the channels the columns. {@link #preferred} picks the orientation that wastes
 * less of the micro-tiles, from the geometry alone.
 *
 * <p>Same results as the other orientation, bit for bit: every output is the same fused multiply-add chain over the
 * input channels in the same KC blocks ({@code fma(x, w, acc)} is {@code fma(w, x, acc)}), then the same bias and
 * activation. Vector path only.
 */
final class PointwiseByPixels {
    private static final int MR = VectorSgemm.MR;
    private static final int NR = VectorSgemm.NR;
    /**
     * How much fuller the swapped tiles must be before the transposes (Xᵀ read with a stride while packing, Yᵀ written
     * back) are worth it. Measured on Zen 4, batch 1: 2 × 2 maps 8x faster swapped (tiles 0.06 vs 0.67 full), 4 × 4
     * 1.5x (0.25 vs 0.89), but 7 × 7 2x slower (0.77 vs 0.91).
     */
    private static final double MARGIN = 2.0;

    private PointwiseByPixels() {
    }

    /** True for an ungrouped 1×1 convolution whose micro-tiles are fuller with the pixels as rows. */
    static boolean preferred(ConvGeometry g) {
        if (!g.isPointwise() || g.groups() != 1) {
            return false;
        }
        int pixels = g.outPlane();
        int m = g.outChannels();
        int images = ShiftedConvolution.imagesPerUnit(g);
        double channelsAsRows = used(m, MR) * used(images * pixels, NR);
        double pixelsAsRows = used(pixels, MR) * used(m, NR);
        return pixelsAsRows > MARGIN * channelsAsRows;
    }

    /** The fraction of {@code roundUp(n, unit)} that {@code n} fills. */
    private static double used(int n, int unit) {
        return (double) n / ((n + unit - 1) / unit * unit);
    }

    /** Wᵀ ({@code C × M}) packed as the GEMM's B: reusable across calls with the same filters. */
    static PackedB pack(ConvGeometry g, float[] w) {
        return PackedB.pack(true, g.inChannels(), g.outChannels(), w, 0, g.inChannels());
    }

    /** y = act(conv(x, w) + bias) with {@code wt} from {@link #pack}. The caller has checked the array sizes. */
    static void forward(ConvGeometry g, float[] x, PackedB wt, float[] bias, Activation act, float[] y,
                        Parallel par) {
        int pixels = g.outPlane();
        int c = g.inChannels();
        int m = g.outChannels();
        Epilogue epilogue = bias == null ? Epilogue.of(act) : Epilogue.columnBias(bias, 0, act);
        long flops = (long) pixels * m * c;
        if (g.batch() >= par.threads() || flops < KernelSupport.MIN_PARALLEL_WORK) {
            par.forRange(g.batch(), 1, (from, to) -> {
                float[] t = new float[pixels * m];
                for (int n = from; n < to; n++) {
                    GemmProblem p = problem(g, x, n, wt, t, epilogue);
                    VectorSgemm.blocked(p, 0, pixels, 0, m, VectorSgemm.workspace());
                    transpose(t, pixels, m, y, n * m * pixels);
                }
            });
            return;
        }
        // One image, enough work for the threads: split the channels (columns) in whole panels.
        float[] t = new float[pixels * m];
        int units = (m + NR - 1) / NR;
        for (int n = 0; n < g.batch(); n++) {
            GemmProblem p = problem(g, x, n, wt, t, epilogue);
            par.forRange(units, 1, (f, to) -> VectorSgemm.blocked(p, 0, pixels, f * NR, Math.min(m, to * NR),
                    VectorSgemm.workspace()));
            transpose(t, pixels, m, y, n * m * pixels);
        }
    }

    /** Image n's product: op(A) = Xᵀ read in place (X is C × HW, so transA with lda = HW). */
    private static GemmProblem problem(ConvGeometry g, float[] x, int n, PackedB wt, float[] t, Epilogue e) {
        int pixels = g.outPlane();
        int c = g.inChannels();
        return new GemmProblem(true, false, pixels, g.outChannels(), c, 1f, x, n * c * pixels, pixels, null, 0, 0,
                wt, 0f, t, 0, g.outChannels(), e);
    }

    /** y[j][i] = t[i][j] for a {@code rows × cols} t: the pixel-major product back to channel-major NCHW. */
    private static void transpose(float[] t, int rows, int cols, float[] y, int yo) {
        for (int i = 0; i < rows; i++) {
            int src = i * cols;
            for (int j = 0; j < cols; j++) {
                y[yo + j * rows + i] = t[src + j];
            }
        }
    }
}
