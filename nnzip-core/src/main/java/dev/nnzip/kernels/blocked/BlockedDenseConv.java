package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Parallel;

/**
 * A dense 2-D convolution (group 1, any kernel, stride, dilation and padding) from a blocked input to a blocked output,
 * with fused bias and activation: {@code y[n, m, r, s] = act(bias[m] + Σ_{c,i,j} w[m, c, i, j] · x[n, c, r·sh − ph +
 * i·dh, s·sw − pw + j·dw])}, x {@code [N, ceil(C/B), H, W, B]}, y {@code [N, ceil(M/B), OH, OW, B]}. This is MLAS's
 * NCHWc convolution, which ONNX Runtime runs VGG-style 3 × 3 layers with: every input value is broadcast and multiplied
 * with the B-wide filter vector of (output block, input channel, tap), so one vector multiply-add computes B output
 * channels of a pixel, whatever the map's width.
 *
 * <p>Each output is {@code bias}, then the products by input channel and row-major tap (taps in the padding add
 * nothing), then the activation.
 */
public final class BlockedDenseConv {
    private BlockedDenseConv() {
    }

    /** True for the convolutions this kernel runs: 2-D and group 1. */
    public static boolean supports(ConvGeometry g) {
        return g.spatialRank() == 2 && g.groups() == 1;
    }

    /** Filters {@code w [M, C, kh, kw]} as {@code [ceil(M/B), C, kh·kw, B]}, padding zero. */
    public static float[] packFilters(float[] w, int outChannels, int inChannels, int kernelSize, int block) {
        return BlockedLayout.packByOutputBlock(w, outChannels, inChannels * kernelSize, block);
    }

    /**
     * Runs the convolution; {@code w} from {@link #packFilters}, {@code bias} from {@link BlockedPointwise#packBias}.
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                               int block, Parallel par) {
        forward(g, x, w, bias, act, y, block, par, BlockedLayout.vectorFits(block));
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y, int block,
                        Parallel par, boolean vector) {
        if (!supports(g)) {
            throw new IllegalArgumentException("not a 2-D convolution of group 1: " + g);
        }
        int outBlocks = BlockedLayout.blocks(g.outChannels(), block);
        // Units of two output blocks: the vector kernel's register tile (see VectorBlockedDenseConv).
        int pairs = (outBlocks + 1) / 2;
        int units = g.batch() * pairs;
        if (units == 0 || g.outPlane() == 0) {
            return;
        }
        long work = 2L * g.outPlane() * g.columnRows() * block;
        int minUnits = (int) Math.max(1, BlockedLayout.MIN_PARALLEL_WORK / Math.max(1, work));
        int inImage = BlockedLayout.blocks(g.inChannels(), block) * g.inPlane() * block;
        int[] offsets = vector ? VectorBlockedDenseConv.offsets(g) : null;
        par.forRange(units, minUnits, (from, to) -> {
            float[] padded = vector ? VectorBlockedDenseConv.scratch(g) : null;
            int paddedImage = -1; // the image `padded` holds: a thread's units are consecutive, so mostly one copy
            for (int u = from; u < to; u++) {
                int n = u / pairs;
                int ob = 2 * (u % pairs);
                int count = Math.min(2, outBlocks - ob);
                int yo = (n * outBlocks + ob) * g.outPlane() * block;
                if (vector) {
                    if (paddedImage != n) {
                        VectorBlockedDenseConv.pad(g, x, n * inImage, padded);
                        paddedImage = n;
                    }
                    VectorBlockedDenseConv.blocks(g, padded, offsets, w, ob, count, bias, act, y, yo);
                } else {
                    for (int k = 0; k < count; k++) {
                        reference(g, x, n * inImage, block, w, ob + k, bias, act, y, yo + k * g.outPlane() * block,
                                block);
                    }
                }
            }
        });
    }

    /**
     * The scalar reference for output block {@code ob} of one image, whose input at {@code xo} is blocked by
     * {@code inBlock}: a plain NCHW input is the same layout with blocks of one channel ({@link PlainInputConv}).
     */
    static void reference(ConvGeometry g, float[] x, int xo, int inBlock, float[] w, int ob, float[] bias,
                          Activation act, float[] y, int yo, int block) {
        int ih = g.in()[1];
        int iw = g.in()[2];
        int kh = g.kernel()[1];
        int kw = g.kernel()[2];
        int channels = g.inChannels();
        int wo = ob * channels * kh * kw * block;
        for (int r = 0; r < g.out()[1]; r++) {
            for (int s = 0; s < g.out()[2]; s++) {
                for (int lane = 0; lane < block; lane++) {
                    float acc = bias[ob * block + lane];
                    for (int c = 0; c < channels; c++) {
                        for (int i = 0; i < kh; i++) {
                            int row = r * g.stride()[1] - g.padBegin()[1] + i * g.dilation()[1];
                            if (row < 0 || row >= ih) {
                                continue;
                            }
                            for (int j = 0; j < kw; j++) {
                                int col = s * g.stride()[2] - g.padBegin()[2] + j * g.dilation()[2];
                                if (col >= 0 && col < iw) {
                                    acc += w[wo + ((c * kh + i) * kw + j) * block + lane]
                                            * x[xo + (((c / inBlock) * ih + row) * iw + col) * inBlock + c % inBlock];
                                }
                            }
                        }
                    }
                    y[yo + (r * g.out()[2] + s) * block + lane] = act.apply(acc);
                }
            }
        }
    }
}
