package dev.nnzip.kernels;

/**
 * Depthwise convolution (groups == input channels): each output channel m convolves one input channel, {@code m / mult}
 * with {@code mult = outChannels / inChannels}, with its own {@code kh × kw} filter. im2col would build a column matrix
 * of K = kh·kw rows for a product of one output row, so it is computed directly, one output plane per task.
 *
 * <p>Sum first, then bias, then activation, the same order as the im2col path's epilogue, so both paths round alike.
 * Only 1-D and 2-D problems (canonical depth 1) come here.
 */
final class Depthwise {
    /** The time of one depthwise multiply-add in SGEMM multiply-adds (see {@link #forward}). */
    private static final int DEPTHWISE_COST = 32;

    private Depthwise() {
    }

    static boolean supports(ConvGeometry g) {
        return g.isDepthwise() && g.in()[0] == 1 && g.kernel()[0] == 1 && g.out()[0] == 1;
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y, Parallel par,
                        boolean vector) {
        int planes = g.batch() * g.outChannels();
        // MIN_PARALLEL_WORK counts SGEMM multiply-adds; a depthwise multiply-add reuses no operand from registers and
        // each plane pays for its padded copy, so one costs about 30x more time (MobileNetV2's 7 x 7 planes: 4 GMAC/s
        // against SGEMM's 60-100 GFLOP/s). Counted at GEMM rates, a batch of 32 images of 96 planes was never split.
        int work = DEPTHWISE_COST * g.outPlane() * g.kernelSize();
        par.forRange(planes, Math.max(1, KernelSupport.MIN_PARALLEL_WORK / Math.max(1, work)), (from, to) -> {
            if (vector) {
                VectorDepthwise.Scratch scratch = VectorDepthwise.Scratch.of(g);
                int outChannels = g.outChannels();
                int mult = outChannels / g.inChannels();
                int m = from % outChannels; // plane pl = n·M + m, stepped without a division per plane
                int image = from / outChannels;
                for (int pl = from; pl < to; pl++) {
                    int xo = (image * g.inChannels() + m / mult) * g.inPlane();
                    VectorDepthwise.plane(g, x, xo, w, bias, act, y, pl * g.outPlane(), m, scratch);
                    if (++m == outChannels) {
                        m = 0;
                        image++;
                    }
                }
            } else {
                for (int pl = from; pl < to; pl++) {
                    plane(g, x, w, bias, act, y, pl);
                }
            }
        });
    }

    /** Input plane offset for output plane {@code pl = n·M + m}. */
    static int inputOffset(ConvGeometry g, int pl) {
        int m = pl % g.outChannels();
        int n = pl / g.outChannels();
        int mult = g.outChannels() / g.inChannels();
        return (n * g.inChannels() + m / mult) * g.inPlane();
    }

    /** The scalar reference for one output plane. */
    static void plane(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y, int pl) {
        int m = pl % g.outChannels();
        int ih0 = g.in()[1];
        int iw0 = g.in()[2];
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
        int xo = inputOffset(g, pl);
        int wo = m * kh * kw;
        int yo = pl * g.outPlane();
        float b = bias == null ? 0f : bias[m];
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                float acc = 0f;
                for (int i = 0; i < kh; i++) {
                    int ih = r * sh - ph + i * dh;
                    if (ih < 0 || ih >= ih0) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int iw = c * sw - pw + j * dw;
                        if (iw >= 0 && iw < iw0) {
                            acc += w[wo + i * kw + j] * x[xo + ih * iw0 + iw];
                        }
                    }
                }
                y[yo + r * ow + c] = act.apply(acc + b);
            }
        }
    }
}
