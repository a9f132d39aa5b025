package dev.nnzip.codec.spi;

import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.TensorDecoder;
import java.util.Objects;

/**
 * Base of the codecs' decoders: checks the block index and output range, hands the codec a bounds-checked reader over the
 * block payload, and insists the payload is consumed exactly (trailing bytes are corruption too).
 */
public abstract class BlockTensorDecoder implements TensorDecoder {
    protected final EncodedTensor tensor;

    protected BlockTensorDecoder(EncodedTensor tensor, String codecName) {
        if (!tensor.codec().equals(codecName)) {
            throw new IllegalArgumentException("tensor was written by codec '" + tensor.codec() + "', not '" + codecName
                    + "'");
        }
        this.tensor = tensor;
    }

    @Override
    public EncodedTensor tensor() {
        return tensor;
    }

    @Override
    public final void decodeBlock(int block, float[] out, int offset) {
        Objects.checkIndex(block, tensor.blocks().size());
        EncodedBlock b = tensor.blocks().get(block);
        Objects.checkFromIndexSize(offset, b.valueCount(), out.length);
        PayloadReader in = new PayloadReader(b.payload());
        decode(in, tensor.blockStart(block), b.valueCount(), out, offset);
        in.expectEnd("block " + block);
    }

    /**
     * Decodes one block.
     *
     * @param firstValue index in the tensor of the block's first value
     * @param count      values in the block
     */
    protected abstract void decode(PayloadReader in, int firstValue, int count, float[] out, int offset);
}
