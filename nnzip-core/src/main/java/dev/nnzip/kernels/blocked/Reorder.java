package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Parallel;

/**
 * Moves a tensor into and out of the blocked layout: ONNX Runtime's ReorderInput / ReorderOutput at the edges of an
 * NCHWc region. Plain loops: a region starts and ends where the channel count is small (a stem's 16 channels, a pool's
 * output), so these move few bytes.
 */
public final class Reorder {
    private Reorder() {
    }

    /**
     * {@code x [N, C, plane]} → {@code y [N, ceil(C/B), plane, B]}, padding lanes set to zero.
     */
    public static void toBlocked(float[] x, int batch, int channels, int plane, int block, float[] y, Parallel par) {
        int blocks = BlockedLayout.blocks(channels, block);
        par.forRange(batch * blocks, Math.max(1, (1 << 16) / Math.max(1, plane * block)), (from, to) -> {
            for (int u = from; u < to; u++) {
                int n = u / blocks;
                int cb = u % blocks;
                int yo = u * plane * block;
                int lanes = Math.min(block, channels - cb * block);
                if (lanes < block) {
                    java.util.Arrays.fill(y, yo, yo + plane * block, 0f);
                }
                for (int lane = 0; lane < lanes; lane++) {
                    int xo = (n * channels + cb * block + lane) * plane;
                    for (int p = 0; p < plane; p++) {
                        y[yo + p * block + lane] = x[xo + p];
                    }
                }
            }
        });
    }

    /** {@code x [N, ceil(C/B), plane, B]} → {@code y [N, C, plane]}, padding lanes dropped. */
    public static void fromBlocked(float[] x, int batch, int channels, int plane, int block, float[] y,
                                   Parallel par) {
        int blocks = BlockedLayout.blocks(channels, block);
        par.forRange(batch * blocks, Math.max(1, (1 << 16) / Math.max(1, plane * block)), (from, to) -> {
            for (int u = from; u < to; u++) {
                int n = u / blocks;
                int cb = u % blocks;
                int xo = u * plane * block;
                int lanes = Math.min(block, channels - cb * block);
                for (int lane = 0; lane < lanes; lane++) {
                    int yo = (n * channels + cb * block + lane) * plane;
                    for (int p = 0; p < plane; p++) {
                        y[yo + p] = x[xo + p * block + lane];
                    }
                }
            }
        });
    }
}
