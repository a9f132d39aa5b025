package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.KernelSupport;

/** Block size and shapes of the channel-blocked layout (see the package documentation). */
public final class BlockedLayout {
    /** Block used when the Vector API is off: the scalar kernels work for any block, 8 keeps padding small. */
    private static final int SCALAR_BLOCK = 8;

    /**
     * Multiply-adds below which a blocked kernel stays on the calling thread: a quarter of
     * {@link KernelSupport#MIN_PARALLEL_WORK}, about 5 µs of a pointwise kernel. Blocked kernels run only inside a
     * session's run, where the workers spin between forks ({@code Parallel.section()}), so a fork costs a few
     * microseconds rather than a wake-up; at the engine-wide threshold no convolution of MobileNetV2 at batch 1 was
     * ever split (the largest, 48 → 512 on 7 × 7, is 1.2 M multiply-adds in 16 units).
     */
    static final int MIN_PARALLEL_WORK = KernelSupport.MIN_PARALLEL_WORK / 4;

    private BlockedLayout() {
    }

    /**
     * The block the vector kernels are built for: the preferred species' lane count (16 floats with AVX-512), as MLAS
     * picks its NCHWc block size from the CPU's vector width. At least 4, so padding never dominates.
     */
    public static int preferredBlock() {
        return KernelSupport.vectorEnabled() ? Math.max(4, VectorLanes.lanes()) : SCALAR_BLOCK;
    }

    /** Number of blocks holding {@code channels} channels. */
    public static int blocks(int channels, int block) {
        return (channels + block - 1) / block;
    }

    /**
     * Filters of {@code outChannels} rows of {@code perFilter} values each, as {@code [ceil(M/B), perFilter, B]}: one
     * vector per (block, filter position) holding the block's B output channels, padding zero.
     */
    static float[] packByOutputBlock(float[] w, int outChannels, int perFilter, int block) {
        float[] p = new float[blocks(outChannels, block) * perFilter * block];
        for (int m = 0; m < outChannels; m++) {
            for (int k = 0; k < perFilter; k++) {
                p[((m / block) * perFilter + k) * block + m % block] = w[m * perFilter + k];
            }
        }
        return p;
    }

    /** {@code [N, C, d...]} → {@code [N, ceil(C/B), d..., B]}. */
    public static int[] blockedShape(int[] nchw, int block) {
        int[] s = new int[nchw.length + 1];
        s[0] = nchw[0];
        s[1] = blocks(nchw[1], block);
        System.arraycopy(nchw, 2, s, 2, nchw.length - 2);
        s[nchw.length] = block;
        return s;
    }

    /** {@code [N, ceil(C/B), d..., B]} → {@code [N, C, d...]} for {@code channels} real channels. */
    public static int[] plainShape(int[] blocked, int channels) {
        int[] s = new int[blocked.length - 1];
        s[0] = blocked[0];
        s[1] = channels;
        System.arraycopy(blocked, 2, s, 2, blocked.length - 3);
        return s;
    }

    /** True when the vector kernels can run on blocks of {@code block} floats. */
    static boolean vectorFits(int block) {
        return KernelSupport.vectorEnabled() && VectorLanes.lanes() == block;
    }
}
