package dev.nnzip.format;

import dev.nnzip.tensor.DType;
import java.util.List;

/**
 * One row of the tensor table.
 *
 * @param name       the weight's name in the graph
 * @param dtype      its element type
 * @param shape      its dimensions
 * @param codec      the codec that encoded it (see {@code dev.nnzip.codec.Codecs})
 * @param params     the codec's per-tensor parameters (opaque to the container)
 * @param boundKind  how the bound was asked for: 0 = absolute, 1 = relative to the tensor's value range
 * @param boundValue the bound as asked for (an absolute value, or a fraction of the range)
 * @param errorBound the absolute error bound every decoded value honours (0 for lossless)
 * @param maxError   the largest |w − ŵ| the compressor measured by decoding what it wrote
 * @param rawBytes   bytes of the decoded tensor
 * @param blocks     its blocks, in value order
 */
public record NnzTensor(String name, DType dtype, int[] shape, String codec, byte[] params, int boundKind,
                        double boundValue, double errorBound, double maxError,
                        long rawBytes, List<NnzBlock> blocks) {
    public NnzTensor {
        shape = shape.clone();
        params = params.clone();
        blocks = List.copyOf(blocks);
    }

    /** Bytes of all block payloads. */
    public long storedBytes() {
        long n = params.length;
        for (NnzBlock b : blocks) {
            n += b.length();
        }
        return n;
    }
}
