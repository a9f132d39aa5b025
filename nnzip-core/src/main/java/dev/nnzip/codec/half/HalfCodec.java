package dev.nnzip.codec.half;

import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.spi.AchievedError;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.ByteStreams;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.SettingDrivenCodec;
import dev.nnzip.codec.spi.SpecText;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage shared by {@link Fp16Codec} and {@link Bf16Codec}: each value rounded to a 16-bit float, the two byte planes
 * of the 16-bit codes stored as {@link ByteStreams} (Zstd where it pays: the high byte holds sign and exponent and is very
 * repetitive), and the rare finite value that would overflow to infinity stored raw as an escape.
 */
abstract sealed class HalfCodec extends SettingDrivenCodec permits Fp16Codec, Bf16Codec {
    private static final int VERSION = 1;

    HalfCodec(String name, int id) {
        super(name, id);
    }

    /** Round-to-nearest-even conversion to the 16-bit code. */
    abstract short encode16(float f);

    /** The fast widening (the runtime's path). */
    abstract float decode16(short h);

    /** The widening written out from the format's definition, the fast path's test oracle. */
    abstract float decode16Reference(short h);

    @Override
    public final EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound,
                                      int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        TensorInputs.finiteRange(tensorName, name(), values);
        PayloadWriter params = new PayloadWriter(16);
        SpecText.writeHeader(params, VERSION, name());
        int n = values.length;
        float[] decoded = new float[n];
        List<EncodedBlock> blocks = new ArrayList<>();
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            byte[] lo = new byte[count];
            byte[] hi = new byte[count];
            PayloadWriter escapes = new PayloadWriter();
            int escapeCount = 0;
            int last = -1;
            for (int j = 0; j < count; j++) {
                float w = values[start + j];
                short h = encode16(w);
                float back = decode16(h);
                if (Float.isInfinite(back)) {
                    // Finite input beyond the 16-bit range (above 65504 for fp16): keep it exact instead of infinity.
                    escapes.varint(j - last - 1).f32(w);
                    last = j;
                    escapeCount++;
                    back = w;
                }
                lo[j] = (byte) h;
                hi[j] = (byte) (h >>> 8);
                decoded[start + j] = back;
            }
            PayloadWriter out = new PayloadWriter(2 * count + 16);
            ByteStreams.write(out, lo, 0, count);
            ByteStreams.write(out, hi, 0, count);
            out.varint(escapeCount).bytes(escapes.toByteArray());
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        double achieved = AchievedError.max(values, 0, decoded, 0, n);
        return new EncodedTensor(name(), shape, blockValues, bound, achieved, params.toByteArray(), blocks);
    }

    @Override
    public final TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        boolean reference = kind == DecoderKind.REFERENCE;
        PayloadReader p = SpecText.readHeader(tensor.parameters(), name(), VERSION);
        p.expectEnd(name() + " parameters");
        return new BlockTensorDecoder(tensor, name()) {
            @Override
            protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
                DecodeScratch scratch = DecodeScratch.get();
                byte[] lo = scratch.bytes(0, count);
                byte[] hi = scratch.bytes(1, count);
                readPlane(in, count, lo, "low byte plane");
                readPlane(in, count, hi, "high byte plane");
                for (int j = 0; j < count; j++) {
                    short h = (short) ((lo[j] & 0xFF) | (hi[j] & 0xFF) << 8);
                    out[offset + j] = reference ? decode16Reference(h) : decode16(h);
                }
                int escapes = in.varint(count, "escape count");
                int j = -1;
                for (int e = 0; e < escapes; e++) {
                    j += 1 + in.varint(count, "escape gap");
                    if (j >= count) {
                        throw in.malformed("escape index " + j + " past the block's " + count + " values");
                    }
                    out[offset + j] = in.f32("escaped value");
                }
            }
        };
    }

    private static void readPlane(PayloadReader in, int count, byte[] dest, String what) {
        int at = in.position();
        int n = ByteStreams.read(in, count, dest, what);
        if (n != count) {
            throw new MalformedInputException(at, what + " holds " + n + " bytes, expected " + count);
        }
    }
}
