package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.Parallel;

/**
 * 1×1, stride-1 convolution on blocked tensors with fused bias, optional residual sum and activation:
 * {@code y[n, m, p] = act(bias[m] + Σ_c w[m, c] · x[n, c, p] + sum[n, m, p])}, x {@code [N, ceil(C/B), P, B]},
 * y and sum {@code [N, ceil(M/B), P, B]}.
 *
 * <p>Why its own kernel rather than an SGEMM: with pixels as GEMM rows a 16-channel projection fills one of the
 * micro-kernel's four column vectors (the failed channels-last attempt). Here, as in MLAS's NCHWc pointwise kernel,
 * each output block is one vector of B channels: for a tile of pixels held in registers the kernel walks the input
 * channels, broadcasting each input value and multiply-adding it with the B-wide filter vector of that (input channel,
 * output block), so a 16-channel output is as efficient as a 512-channel one. The residual Add of an inverted residual
 * block is added in the same epilogue (ONNX Runtime's Conv + Sum fusion), before the activation.
 *
 * <p>Each output is {@code bias}, then the products in input-channel order, then the sum, then the activation, in
 * every tiling, so results do not depend on the thread count.
 */
public final class BlockedPointwise {
    private BlockedPointwise() {
    }

    /** Filters {@code w [M, C]} (a 1×1 conv's {@code [M, C, 1, 1]}) as {@code [ceil(M/B), C, B]}, padding zero. */
    public static float[] packFilters(float[] w, int outChannels, int inChannels, int block) {
        return BlockedLayout.packByOutputBlock(w, outChannels, inChannels, block);
    }

    /** A bias of {@code channels} values (or none: zeros) padded to whole blocks. */
    public static float[] packBias(float[] bias, int channels, int block) {
        float[] p = new float[BlockedLayout.blocks(channels, block) * block];
        if (bias != null) {
            System.arraycopy(bias, 0, p, 0, channels);
        }
        return p;
    }

    /**
     * Runs the convolution. {@code w} from {@link #packFilters}, {@code bias} from {@link #packBias}; {@code sum} null
     * or the residual in y's layout (never y itself).
     */
    public static void forward(float[] x, int batch, int inChannels, int outChannels, int plane, int block,
                               float[] w, float[] bias, float[] sum, Activation act, float[] y, Parallel par) {
        forward(x, batch, inChannels, outChannels, plane, block, w, bias, sum, act, y, par,
                BlockedLayout.vectorFits(block));
    }

    static void forward(float[] x, int batch, int inChannels, int outChannels, int plane, int block, float[] w,
                        float[] bias, float[] sum, Activation act, float[] y, Parallel par, boolean vector) {
        int outBlocks = BlockedLayout.blocks(outChannels, block);
        if (batch == 0 || plane == 0 || outBlocks == 0) {
            return;
        }
        if (vector) {
            VectorBlockedPointwise.forward(x, batch, inChannels, outBlocks, plane, w, bias, sum, act, y, par);
            return;
        }
        int inBlocks = BlockedLayout.blocks(inChannels, block);
        int units = batch * outBlocks;
        long work = (long) plane * inChannels * block;
        par.forRange(units, (int) Math.max(1, BlockedLayout.MIN_PARALLEL_WORK / Math.max(1, work)), (from, to) -> {
            for (int u = from; u < to; u++) {
                int n = u / outBlocks;
                int ob = u % outBlocks;
                int xImage = n * inBlocks * plane * block;
                for (int p = 0; p < plane; p++) {
                    int yo = (u * plane + p) * block;
                    for (int lane = 0; lane < block; lane++) {
                        float acc = bias[ob * block + lane];
                        for (int c = 0; c < inChannels; c++) {
                            acc += w[(ob * inChannels + c) * block + lane]
                                    * x[xImage + ((c / block) * plane + p) * block + c % block];
                        }
                        if (sum != null) {
                            acc += sum[yo + lane];
                        }
                        y[yo + lane] = act.apply(acc);
                    }
                }
            }
        });
    }
}
