package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Parallel;

/**
 * Depthwise 2-D convolution (groups == input channels == output channels) on blocked tensors with fused bias and
 * activation: {@code y[n, c, r, s] = act(bias[c] + Σ_{i,j} w[c, i, j] · x[n, c, r·sh − ph + i·dh, s·sw − pw + j·dw])},
 * x {@code [N, ceil(C/B), H, W, B]}, y {@code [N, ceil(C/B), OH, OW, B]}. Any kernel size, stride, dilation and pads.
 *
 * <p>Why blocked: in NCHW a depthwise plane is a 7 × 7 or 14 × 14 map, narrower than a few vectors, and the kernel
 * had to copy it into a padded, phase-split plane first. In blocked layout the B channels of a pixel are one vector,
 * so the kernel is vectorized over channels (MLAS's NCHWc depthwise kernel does the same): every tap is one vector
 * load and one multiply-add whatever the map size or stride.
 *
 * <p>Each output is {@code bias}, then the taps in row-major order (skipping those outside), then the activation.
 */
public final class BlockedDepthwise {
    /**
     * Time of one blocked depthwise multiply-add in pointwise multiply-adds, for the fork threshold: a tap is a full
     * vector load per multiply-add where the pointwise kernel broadcasts one float to 14 (measured 80 vs 25 ps).
     */
    private static final int COST = 3;

    private BlockedDepthwise() {
    }

    /** True for the convolutions this kernel runs: 2-D, one input channel per group, one output per input channel. */
    public static boolean supports(ConvGeometry g) {
        return g.spatialRank() == 2 && g.groups() == g.inChannels() && g.outChannels() == g.inChannels();
    }

    /** Filters {@code w [C, 1, kh, kw]} as {@code [ceil(C/B), kh·kw, B]}, padding zero. */
    public static float[] packFilters(float[] w, int channels, int kernelSize, int block) {
        return BlockedLayout.packByOutputBlock(w, channels, kernelSize, block);
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
            throw new IllegalArgumentException("not a 2-D depthwise convolution with one output per channel: " + g);
        }
        int blocks = BlockedLayout.blocks(g.inChannels(), block);
        int units = g.batch() * blocks;
        if (units == 0 || g.outPlane() == 0) {
            return;
        }
        long work = (long) COST * g.outPlane() * g.kernelSize() * block;
        int minUnits = (int) Math.max(1, BlockedLayout.MIN_PARALLEL_WORK / Math.max(1, work));
        par.forRange(units, minUnits, (from, to) -> {
            float[][] scratch = vector ? VectorBlockedDepthwise.scratch() : null;
            for (int u = from; u < to; u++) {
                int cb = u % blocks;
                if (vector) {
                    VectorBlockedDepthwise.plane(g, x, u * g.inPlane() * block, w, cb * g.kernelSize() * block,
                            bias, cb * block, act, y, u * g.outPlane() * block, scratch);
                } else {
                    plane(g, x, u * g.inPlane() * block, w, cb * g.kernelSize() * block, bias, cb * block, act, y,
                            u * g.outPlane() * block, block);
                }
            }
        });
    }

    /** The scalar reference for one block plane. */
    private static void plane(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[] bias, int bo,
                              Activation act, float[] y, int yo, int block) {
        int ih = g.in()[1];
        int iw = g.in()[2];
        int kh = g.kernel()[1];
        int kw = g.kernel()[2];
        for (int r = 0; r < g.out()[1]; r++) {
            for (int s = 0; s < g.out()[2]; s++) {
                for (int lane = 0; lane < block; lane++) {
                    float acc = bias[bo + lane];
                    for (int i = 0; i < kh; i++) {
                        int row = r * g.stride()[1] - g.padBegin()[1] + i * g.dilation()[1];
                        if (row < 0 || row >= ih) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int col = s * g.stride()[2] - g.padBegin()[2] + j * g.dilation()[2];
                            if (col >= 0 && col < iw) {
                                acc += w[wo + (i * kw + j) * block + lane] * x[xo + (row * iw + col) * block + lane];
                            }
                        }
                    }
                    y[yo + (r * g.out()[2] + s) * block + lane] = act.apply(acc);
                }
            }
        }
    }
}
