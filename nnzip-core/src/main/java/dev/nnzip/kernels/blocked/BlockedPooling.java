package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Parallel;

/**
 * Global average pooling of a blocked tensor straight into the plain {@code [N, C]} (= {@code [N, C, 1, 1]}) result:
 * the pool that ends a MobileNet's convolution region does the region's reorder for free, moving C values per image
 * instead of the C·H·W a reorder before it would (ONNX Runtime likewise runs GlobalAveragePool as an NCHWc op).
 *
 * <p>Each channel's mean is its values summed in pixel order, in float, then divided by the pixel count.
 */
public final class BlockedPooling {
    private BlockedPooling() {
    }

    /** {@code x [N, ceil(C/B), plane, B]} → {@code y [N, C]}. */
    public static void globalAverage(float[] x, int batch, int channels, int plane, int block, float[] y,
                                     Parallel par) {
        globalAverage(x, batch, channels, plane, block, y, par, BlockedLayout.vectorFits(block));
    }

    static void globalAverage(float[] x, int batch, int channels, int plane, int block, float[] y, Parallel par,
                              boolean vector) {
        int blocks = BlockedLayout.blocks(channels, block);
        par.forRange(batch * blocks, Math.max(1, (1 << 16) / Math.max(1, plane * block)), (from, to) -> {
            float[] sums = new float[block];
            for (int u = from; u < to; u++) {
                int n = u / blocks;
                int cb = u % blocks;
                int xo = u * plane * block;
                if (vector) {
                    VectorBlockedPooling.sum(x, xo, plane, sums);
                } else {
                    java.util.Arrays.fill(sums, 0f);
                    for (int p = 0; p < plane; p++) {
                        for (int lane = 0; lane < block; lane++) {
                            sums[lane] += x[xo + p * block + lane];
                        }
                    }
                }
                int lanes = Math.min(block, channels - cb * block);
                for (int lane = 0; lane < lanes; lane++) {
                    y[n * channels + cb * block + lane] = sums[lane] / plane;
                }
            }
        });
    }
}
