package dev.nnzip.codec.spi;

/**
 * The largest {@code |w − ŵ|} of a reconstruction, computed in double exactly as
 * {@code dev.nnzip.compress.ModelCompressor} measures it. The survey codecs (int8, int4, fp16, bf16, k-means, pruning) are
 * driven by a bit width or a sparsity, not by an error bound; they record this measured maximum as the tensor's absolute
 * bound, which is then a true guarantee for the stored tensor (the decoder reproduces {@code ŵ} bit for bit).
 */
public final class AchievedError {
    private AchievedError() {
    }

    public static double max(float[] original, int originalOffset, float[] decoded, int decodedOffset, int count) {
        double max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, Math.abs((double) original[originalOffset + i] - decoded[decodedOffset + i]));
        }
        return max;
    }
}
