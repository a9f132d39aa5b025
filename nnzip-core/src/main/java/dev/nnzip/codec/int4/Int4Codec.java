package dev.nnzip.codec.int4;

import dev.nnzip.codec.CodecSettings;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.codec.entropy.HuffmanCode;
import dev.nnzip.codec.entropy.HuffmanDecoder;
import dev.nnzip.codec.entropy.SymbolStreams;
import dev.nnzip.codec.spi.AchievedError;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.BytePlanes;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.SettingDrivenCodec;
import dev.nnzip.codec.spi.SpecText;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** 4-bit symmetric quantization in groups of {@code block} values with one scale each. See the package documentation. */
public final class Int4Codec extends SettingDrivenCodec {
    public static final String NAME = "int4";
    public static final int ID = 6;
    public static final int DEFAULT_GROUP = 32;
    public static final int MIN_GROUP = 8;
    public static final int MAX_GROUP = 1024;
    private static final int VERSION = 1;
    private static final int ALPHABET = 16;
    /** Codes are {@code q + 8}, {@code q ∈ [−8, 7]}; the scale maps the group's largest magnitude to 7, as Q4_0 does. */
    private static final int ZERO = 8;

    private final int group;

    public Int4Codec() {
        this(DEFAULT_GROUP);
    }

    private Int4Codec(int group) {
        super(NAME, ID);
        this.group = group;
    }

    @Override
    public Map<String, String> settingKeys() {
        return Map.of("block", "values per scale, " + MIN_GROUP + ".." + MAX_GROUP + ", default " + DEFAULT_GROUP
                + " (GGUF Q4_0: 32; ONNX MatMulNBits: 32-128)");
    }

    @Override
    public WeightCodec configure(CodecSettings settings) {
        settings.check(NAME, settingKeys());
        return new Int4Codec(settings.getInt(NAME, "block", DEFAULT_GROUP, MIN_GROUP, MAX_GROUP));
    }

    static float reconstruct(int symbol, float scale) {
        return (float) ((double) (symbol - ZERO) * scale);
    }

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        TensorInputs.finiteRange(tensorName, NAME, values);
        int n = values.length;
        int[] symbols = new int[n];
        float[] decoded = new float[n];
        List<float[]> blockScales = new ArrayList<>();
        // Groups start at each block's first value, so a block carries its own scales and decodes alone.
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            float[] scales = new float[(count + group - 1) / group];
            for (int g = 0; g < scales.length; g++) {
                int from = start + g * group;
                int to = Math.min(start + count, from + group);
                double amax = 0;
                for (int i = from; i < to; i++) {
                    amax = Math.max(amax, Math.abs(values[i]));
                }
                float scale = (float) (amax / 7.0);
                scales[g] = scale;
                for (int i = from; i < to; i++) {
                    symbols[i] = quantize(values[i], scale);
                    decoded[i] = reconstruct(symbols[i], scale);
                }
            }
            blockScales.add(scales);
        }
        HuffmanCode shared = HuffmanCode.forFrequencies(SymbolStreams.histogram(symbols, 0, n, ALPHABET));
        PayloadWriter params = new PayloadWriter();
        SpecText.writeHeader(params, VERSION, NAME + ":block=" + group);
        params.varint(group);
        shared.write(params);
        List<EncodedBlock> blocks = new ArrayList<>();
        for (int b = 0, start = 0; start < n; b++, start += blockValues) {
            int count = Math.min(blockValues, n - start);
            PayloadWriter out = new PayloadWriter(count / 2 + 16);
            float[] scales = blockScales.get(b);
            BytePlanes.write(out, scales, 0, scales.length);
            SymbolStreams.write(out, symbols, start, count, shared, ALPHABET);
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        double achieved = AchievedError.max(values, 0, decoded, 0, n);
        return new EncodedTensor(NAME, shape, blockValues, bound, achieved, params.toByteArray(), blocks);
    }

    private static int quantize(float w, float scale) {
        if (scale == 0) {
            return ZERO;
        }
        int symbol = (int) Math.max(0, Math.min(ALPHABET - 1, Math.round((double) w / scale) + ZERO));
        if (Float.isInfinite(reconstruct(symbol, scale))) {
            symbol += symbol > ZERO ? -1 : 1; // |w| near Float.MAX_VALUE: one step towards zero stays finite
        }
        return symbol;
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind == DecoderKind.REFERENCE);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final boolean reference;
        private final int group;
        private final HuffmanDecoder shared;

        Decoder(EncodedTensor tensor, boolean reference) {
            super(tensor, NAME);
            this.reference = reference;
            PayloadReader in = SpecText.readHeader(tensor.parameters(), NAME, VERSION);
            group = in.varint(MAX_GROUP, "group size");
            if (group < MIN_GROUP) {
                throw in.malformed("group size " + group + " below " + MIN_GROUP);
            }
            shared = new HuffmanDecoder(HuffmanCode.read(in, ALPHABET));
            in.expectEnd("int4 parameters");
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            DecodeScratch scratch = DecodeScratch.get();
            int groups = (count + group - 1) / group;
            // Scales go to a fresh array: the byte-plane reader and the symbol reader share the scratch byte slots.
            float[] scales = new float[groups];
            if (reference) {
                BytePlanes.readReference(in, scales, 0, groups);
            } else {
                BytePlanes.read(in, scales, 0, groups, scratch);
            }
            for (float s : scales) {
                if (!(s >= 0) || Float.isInfinite(s)) {
                    throw in.malformed("group scale " + s + " is not finite and >= 0");
                }
            }
            int[] symbols = scratch.ints(0, count);
            SymbolStreams.read(in, shared, ALPHABET, count, symbols, 0, reference, scratch);
            if (reference) {
                for (int j = 0; j < count; j++) {
                    out[offset + j] = reconstruct(symbols[j], scales[j / group]);
                }
                return;
            }
            for (int g = 0; g < groups; g++) {
                double s = scales[g];
                int end = Math.min(count, (g + 1) * group);
                for (int j = g * group; j < end; j++) {
                    out[offset + j] = (float) ((symbols[j] - ZERO) * s);
                }
            }
        }
    }
}
