package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Parallel;

/**
 * A dense 2-D convolution (group 1) that reads a plain NCHW input and writes a blocked output, with fused bias and
 * activation: {@code y[n, m, r, s] = act(bias[m] + Σ_{c,i,j} w[m, c, i, j] · x[n, c, r·sh − ph + i·dh, s·sw − pw +
 * j·dw])}, y {@code [N, ceil(M/B), OH, OW, B]}. Meant for a network's stem, whose input has fewer channels than a
 * block (a grey or RGB image): ONNX Runtime's NCHWc transformer likewise runs such a convolution straight from the
 * NCHW input (MLAS's "NCHW" convolution kernel), so the region needs no reorder at its start. Each input value is
 * broadcast and multiplied with the B-wide filter vector of (output block, input channel, tap).
 *
 * <p>Each output is {@code bias}, then the products by input channel and row-major tap (skipping taps outside), then
 * the activation.
 */
public final class PlainInputConv {
    private PlainInputConv() {
    }

    /** True for the convolutions this kernel runs: 2-D and group 1. */
    public static boolean supports(ConvGeometry g) {
        return BlockedDenseConv.supports(g);
    }

    /** Filters {@code w [M, C, kh, kw]} as {@code [ceil(M/B), C, kh·kw, B]}, padding zero. */
    public static float[] packFilters(float[] w, int outChannels, int inChannels, int kernelSize, int block) {
        return BlockedDenseConv.packFilters(w, outChannels, inChannels, kernelSize, block);
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
        int blocks = BlockedLayout.blocks(g.outChannels(), block);
        int units = g.batch() * blocks;
        if (units == 0 || g.outPlane() == 0) {
            return;
        }
        long work = (long) g.outPlane() * g.columnRows() * block;
        int minUnits = (int) Math.max(1, BlockedLayout.MIN_PARALLEL_WORK / Math.max(1, work));
        int perFilter = g.columnRows();
        par.forRange(units, minUnits, (from, to) -> {
            for (int u = from; u < to; u++) {
                int n = u / blocks;
                int ob = u % blocks;
                int xo = n * g.inChannels() * g.inPlane();
                int wo = ob * perFilter * block;
                int yo = u * g.outPlane() * block;
                if (vector) {
                    VectorPlainInputConv.plane(g, x, xo, w, wo, bias, ob * block, act, y, yo);
                } else {
                    BlockedDenseConv.reference(g, x, xo, 1, w, ob, bias, act, y, yo, block);
                }
            }
        });
    }
}
