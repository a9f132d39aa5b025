package dev.nnzip.codec.uniform;

import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.codec.entropy.HuffmanCode;
import dev.nnzip.codec.entropy.HuffmanDecoder;
import dev.nnzip.codec.entropy.SymbolStreams;
import dev.nnzip.codec.quant.EscapeValues;
import dev.nnzip.codec.quant.QuantCodes;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.BoundCheck;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * Uniform scalar quantization on a fixed grid, {@code q = round(w / 2eb)}, {@code ŵ = q·2eb}, then Huffman and Zstd. See
 * the package documentation.
 */
public final class UniformCodec implements WeightCodec {
    public static final String NAME = "uniform";
    public static final int ID = 3;
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
        return false;
    }

    /** The reconstruction, shared by the encoder's bound check and both decoders so all three agree to the bit. */
    static float reconstruct(int symbol, float step) {
        return (float) (symbol - QuantCodes.CENTER) * step;
    }

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        float[] range = TensorInputs.finiteRange(tensorName, NAME, values);
        double eb = bound.resolve(range[0], range[1]);
        float step = QuantCodes.step(eb);
        int n = values.length;
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = quantize(values[i], step, eb);
        }
        HuffmanCode shared = HuffmanCode.forFrequencies(SymbolStreams.histogram(symbols, 0, n, QuantCodes.ALPHABET));
        PayloadWriter params = new PayloadWriter();
        params.u8(VERSION).f64(eb).f32(step);
        shared.write(params);

        List<EncodedBlock> blocks = new ArrayList<>();
        EscapeValues escapes = new EscapeValues();
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            PayloadWriter out = new PayloadWriter(count);
            SymbolStreams.write(out, symbols, start, count, shared, QuantCodes.ALPHABET);
            escapes.clear();
            for (int i = start; i < start + count; i++) {
                if (symbols[i] == QuantCodes.ESCAPE) {
                    escapes.add(values[i]);
                }
            }
            escapes.write(out);
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        return new EncodedTensor(NAME, shape, blockValues, bound, eb, params.toByteArray(), blocks);
    }

    private static int quantize(float w, float step, double eb) {
        if (step == 0) {
            return QuantCodes.ESCAPE;
        }
        int symbol = QuantCodes.symbol(QuantCodes.bin(w, step));
        if (symbol != QuantCodes.ESCAPE && !BoundCheck.within(w, reconstruct(symbol, step), eb)) {
            return QuantCodes.ESCAPE; // float rounding of q·step would break the bound: store this one raw
        }
        return symbol;
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind == DecoderKind.REFERENCE);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final boolean reference;
        private final float step;
        private final HuffmanDecoder shared;

        Decoder(EncodedTensor tensor, boolean reference) {
            super(tensor, NAME);
            this.reference = reference;
            PayloadReader in = new PayloadReader(tensor.parameters());
            int version = in.u8("version");
            if (version != VERSION) {
                throw new MalformedInputException(0, "uniform parameters version " + version + ", expected " + VERSION);
            }
            double eb = in.f64("error bound");
            step = in.f32("step");
            if (!(eb >= 0) || !(step >= 0) || Float.isInfinite(step) || step > 2 * eb) {
                throw new MalformedInputException(1, "bad error bound " + eb + " / step " + step);
            }
            shared = new HuffmanDecoder(HuffmanCode.read(in, QuantCodes.ALPHABET));
            in.expectEnd("uniform parameters");
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            DecodeScratch scratch = DecodeScratch.get();
            int[] symbols = scratch.ints(0, count);
            HuffmanCode code = SymbolStreams.read(in, shared, QuantCodes.ALPHABET, count, symbols, 0, reference, scratch);
            int escapeCount = EscapeValues.readCount(in, count);
            float[] escapes = EscapeValues.read(in, escapeCount, reference, scratch);
            if (reference) {
                decodeReference(symbols, escapes, escapeCount, count, out, offset);
                return;
            }
            final float step = this.step;
            for (int i = 0; i < count; i++) {
                out[offset + i] = (float) (symbols[i] - QuantCodes.CENTER) * step;
            }
            if (code.length(QuantCodes.ESCAPE) > 0 || escapeCount > 0) {
                EscapeValues.patch(symbols, escapes, escapeCount, count, out, offset);
            }
        }

        private void decodeReference(int[] symbols, float[] escapes, int escapeCount, int count, float[] out,
                                     int offset) {
            int k = 0;
            for (int i = 0; i < count; i++) {
                if (symbols[i] == QuantCodes.ESCAPE) {
                    if (k == escapeCount) {
                        throw new MalformedInputException(-1, "more escape symbols than escaped values");
                    }
                    out[offset + i] = escapes[k++];
                } else {
                    out[offset + i] = reconstruct(symbols[i], step);
                }
            }
            if (k != escapeCount) {
                throw new MalformedInputException(-1, escapeCount + " escaped values but " + k + " escape symbols");
            }
        }
    }
}
