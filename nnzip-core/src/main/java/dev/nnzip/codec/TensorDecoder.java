package dev.nnzip.codec;

import dev.nnzip.kernels.Parallel;

/**
 * Decodes the blocks of one {@link EncodedTensor}. Built once per tensor (tensor parameters, e.g. entropy-coder tables, are
 * parsed then), immutable and safe to share between threads: a kernel may decode block by block, and
 * {@link #decodeAll(Parallel)} decodes blocks concurrently.
 */
public interface TensorDecoder {
    /** The tensor this decoder reads. */
    EncodedTensor tensor();

    /**
     * Decodes block {@code block} into {@code out[offset, offset + valueCount)}.
     *
     * @throws MalformedInputException   if the block payload is corrupt
     * @throws IndexOutOfBoundsException if {@code block} is not a block of the tensor or {@code out} is too small
     */
    void decodeBlock(int block, float[] out, int offset);

    /** Decodes every block into {@code out[offset, offset + valueCount)}, blocks split over {@code parallel}'s threads. */
    default void decodeAll(float[] out, int offset, Parallel parallel) {
        EncodedTensor t = tensor();
        java.util.Objects.checkFromIndexSize(offset, t.valueCount(), out.length);
        int blocks = t.blocks().size();
        parallel.forRange(blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                decodeBlock(b, out, offset + t.blockStart(b));
            }
        });
    }

    /** Decodes the whole tensor into a new array. */
    default float[] decodeAll(Parallel parallel) {
        float[] out = new float[tensor().valueCount()];
        decodeAll(out, 0, parallel);
        return out;
    }
}
