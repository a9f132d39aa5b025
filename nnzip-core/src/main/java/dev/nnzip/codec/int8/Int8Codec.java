package dev.nnzip.codec.int8;

import dev.nnzip.codec.CodecSettings;
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
import dev.nnzip.codec.spi.AchievedError;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.SettingDrivenCodec;
import dev.nnzip.codec.spi.SpecText;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** 8-bit linear quantization with one scale (and zero point) per output channel. See the package documentation. */
public final class Int8Codec extends SettingDrivenCodec {
    public static final String NAME = "int8";
    public static final int ID = 5;
    private static final int VERSION = 1;
    private static final int ALPHABET = 256;
    /** Symmetric codes are {@code q + 128} with {@code q ∈ [−127, 127]}: the ONNX/TFLite symmetric int8 range. */
    private static final int SYMMETRIC_ZERO = 128;

    private final boolean asymmetric;
    private final int axis;

    public Int8Codec() {
        this(false, 0);
    }

    private Int8Codec(boolean asymmetric, int axis) {
        super(NAME, ID);
        this.asymmetric = asymmetric;
        this.axis = axis;
    }

    @Override
    public Map<String, String> settingKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("asym", "true: uint8 with a zero point per channel; false (default): symmetric int8");
        keys.put("axis", "the output-channel axis, default 0 (Conv [O,I,kh,kw], Gemm transB=1 [N,K]); -1 for [K,N]");
        return keys;
    }

    @Override
    public WeightCodec configure(CodecSettings settings) {
        settings.check(NAME, settingKeys());
        return new Int8Codec(settings.getBoolean(NAME, "asym", false), settings.getInt(NAME, "axis", 0, -8, 7));
    }

    /** The canonical spec of this configuration, recorded in the tensor parameters. */
    String spec() {
        return NAME + ":asym=" + asymmetric + ",axis=" + axis;
    }

    /**
     * The reconstruction, shared by the encoder and both decoders so they agree to the bit: one product in double, one
     * rounding to float.
     */
    static float reconstruct(int symbol, int zeroPoint, float scale) {
        return (float) ((double) (symbol - zeroPoint) * scale);
    }

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        TensorInputs.finiteRange(tensorName, NAME, values);
        Channels ch = Channels.of(shape, axis);
        int n = values.length;
        float[] min = new float[ch.count()];
        float[] max = new float[ch.count()];
        for (int i = 0; i < n; i++) {
            int c = ch.of(i);
            min[c] = Math.min(min[c], values[i]); // starting at 0: the range always holds 0, as ONNX QuantizeLinear's does
            max[c] = Math.max(max[c], values[i]);
        }
        float[] scale = new float[ch.count()];
        int[] zero = new int[ch.count()];
        for (int c = 0; c < ch.count(); c++) {
            if (asymmetric) {
                scale[c] = (float) (((double) max[c] - min[c]) / 255.0);
                zero[c] = scale[c] == 0 ? 0 : (int) Math.max(0, Math.min(255, Math.round(-(double) min[c] / scale[c])));
            } else {
                scale[c] = (float) (Math.max(-(double) min[c], max[c]) / 127.0);
                zero[c] = SYMMETRIC_ZERO;
            }
        }
        int lowest = asymmetric ? 0 : 1;
        int[] symbols = new int[n];
        float[] decoded = new float[n];
        for (int i = 0; i < n; i++) {
            int c = ch.of(i);
            symbols[i] = quantize(values[i], scale[c], zero[c], lowest);
            decoded[i] = reconstruct(symbols[i], zero[c], scale[c]);
        }
        HuffmanCode shared = HuffmanCode.forFrequencies(SymbolStreams.histogram(symbols, 0, n, ALPHABET));
        PayloadWriter params = new PayloadWriter();
        SpecText.writeHeader(params, VERSION, spec());
        params.u8(asymmetric ? 1 : 0).varint(ch.count()).varint(ch.inner());
        for (int c = 0; c < ch.count(); c++) {
            params.f32(scale[c]);
            if (asymmetric) {
                params.u8(zero[c]);
            }
        }
        shared.write(params);
        List<EncodedBlock> blocks = new ArrayList<>();
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            PayloadWriter out = new PayloadWriter(count);
            SymbolStreams.write(out, symbols, start, count, shared, ALPHABET);
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        double achieved = AchievedError.max(values, 0, decoded, 0, n);
        return new EncodedTensor(NAME, shape, blockValues, bound, achieved, params.toByteArray(), blocks);
    }

    /** {@code round(w / scale) + zero}, clamped to the code range; never a code whose reconstruction overflows. */
    private static int quantize(float w, float scale, int zero, int lowest) {
        if (scale == 0) {
            return zero;
        }
        long q = Math.round((double) w / scale) + zero;
        int symbol = (int) Math.max(lowest, Math.min(ALPHABET - 1, q));
        if (Float.isInfinite(reconstruct(symbol, zero, scale))) {
            symbol += symbol > zero ? -1 : 1; // |w| near Float.MAX_VALUE: one step towards zero stays finite
        }
        return symbol;
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind == DecoderKind.REFERENCE);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final boolean reference;
        private final int channels;
        private final int inner;
        private final float[] scale;
        private final int[] zero;
        private final HuffmanDecoder shared;

        Decoder(EncodedTensor tensor, boolean reference) {
            super(tensor, NAME);
            this.reference = reference;
            PayloadReader in = SpecText.readHeader(tensor.parameters(), NAME, VERSION);
            int mode = in.u8("int8 mode");
            if (mode > 1) {
                throw new MalformedInputException(in.position() - 1, "int8 mode must be 0 or 1, was " + mode);
            }
            int n = tensor.valueCount();
            channels = in.varint(Math.max(1, n), "channel count");
            inner = in.varint(Math.max(1, n), "channel stride");
            if ((long) channels * inner > Math.max(1, n) || channels == 0 || inner == 0
                    || n % ((long) channels * inner) != 0) {
                throw in.malformed(channels + " channels of stride " + inner + " do not tile " + n + " values");
            }
            if (channels * (mode == 1 ? 5L : 4L) > in.remaining()) {
                throw in.malformed("truncated: " + channels + " channel scales");
            }
            scale = new float[channels];
            zero = new int[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = in.f32("channel scale");
                if (!(scale[c] >= 0) || Float.isInfinite(scale[c])) {
                    throw in.malformed("channel " + c + " scale " + scale[c] + " is not finite and >= 0");
                }
                zero[c] = mode == 1 ? in.u8("zero point") : SYMMETRIC_ZERO;
            }
            shared = new HuffmanDecoder(HuffmanCode.read(in, ALPHABET));
            in.expectEnd("int8 parameters");
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            DecodeScratch scratch = DecodeScratch.get();
            int[] symbols = scratch.ints(0, count);
            SymbolStreams.read(in, shared, ALPHABET, count, symbols, 0, reference, scratch);
            if (reference) {
                for (int j = 0; j < count; j++) {
                    int c = ((firstValue + j) / inner) % channels;
                    out[offset + j] = reconstruct(symbols[j], zero[c], scale[c]);
                }
                return;
            }
            // Walk the block in runs of one channel: no division per value.
            int j = 0;
            int i = firstValue;
            int c = (i / inner) % channels;
            int left = inner - i % inner;
            while (j < count) {
                int run = Math.min(left, count - j);
                double s = scale[c];
                int z = zero[c];
                for (int end = j + run; j < end; j++) {
                    out[offset + j] = (float) ((symbols[j] - z) * s);
                }
                c = c + 1 == channels ? 0 : c + 1;
                left = inner;
            }
        }
    }
}
