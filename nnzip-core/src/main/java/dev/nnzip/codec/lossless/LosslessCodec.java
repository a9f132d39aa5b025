package dev.nnzip.codec.lossless;

import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.BytePlanes;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.List;

/** Byte-plane shuffle + Zstd, bit-exact. See the package documentation. */
public final class LosslessCodec implements WeightCodec {
    public static final String NAME = "lossless";
    public static final int ID = 4;
    private static final int VERSION = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public boolean isLossless() {
        return true;
    }

    /** Encodes bit-exactly; {@code bound} is recorded but irrelevant, and NaN/Inf are kept like any other bits. */
    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        List<EncodedBlock> blocks = new ArrayList<>();
        for (int start = 0; start < values.length; start += blockValues) {
            int count = Math.min(blockValues, values.length - start);
            PayloadWriter out = new PayloadWriter(count * 4 + 32);
            BytePlanes.write(out, values, start, count);
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        return new EncodedTensor(NAME, shape, blockValues, bound, 0, new byte[] {VERSION}, blocks);
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        boolean reference = kind == DecoderKind.REFERENCE;
        byte[] params = tensor.parameters();
        if (params.length != 1 || params[0] != VERSION) {
            throw new MalformedInputException(0, "lossless parameters must be the single version byte " + VERSION);
        }
        return new BlockTensorDecoder(tensor, NAME) {
            @Override
            protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
                if (reference) {
                    BytePlanes.readReference(in, out, offset, count);
                } else {
                    BytePlanes.read(in, out, offset, count, DecodeScratch.get());
                }
            }
        };
    }
}
