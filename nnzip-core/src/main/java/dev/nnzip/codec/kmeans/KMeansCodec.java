package dev.nnzip.codec.kmeans;

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
import java.util.List;
import java.util.Map;

/** Per-layer k-means weight sharing with Huffman-coded indices (Deep Compression). See the package documentation. */
public final class KMeansCodec extends SettingDrivenCodec {
    public static final String NAME = "kmeans";
    public static final int ID = 9;
    public static final int DEFAULT_BITS = 5;
    public static final int MAX_BITS = 8;
    private static final int VERSION = 1;

    private final int bits;

    public KMeansCodec() {
        this(DEFAULT_BITS);
    }

    private KMeansCodec(int bits) {
        super(NAME, ID);
        this.bits = bits;
    }

    @Override
    public Map<String, String> settingKeys() {
        return Map.of("bits", "index bits b, 2^b shared values per layer, 1.." + MAX_BITS + ", default " + DEFAULT_BITS
                + " (Deep Compression: 8 for conv, 5 for fully connected layers)");
    }

    @Override
    public WeightCodec configure(CodecSettings settings) {
        settings.check(NAME, settingKeys());
        return new KMeansCodec(settings.getInt(NAME, "bits", DEFAULT_BITS, 1, MAX_BITS));
    }

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        TensorInputs.finiteRange(tensorName, NAME, values);
        int n = values.length;
        float[] centroids = n == 0 ? new float[0] : ScalarKMeans.centroids(values, 1 << bits);
        int k = centroids.length;
        int[] symbols = new int[n];
        float[] decoded = new float[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = ScalarKMeans.nearest(centroids, values[i]);
            decoded[i] = centroids[symbols[i]];
        }
        int alphabet = Math.max(1, k);
        HuffmanCode shared = HuffmanCode.forFrequencies(SymbolStreams.histogram(symbols, 0, n, alphabet));
        PayloadWriter params = new PayloadWriter();
        SpecText.writeHeader(params, VERSION, NAME + ":bits=" + bits);
        params.u8(bits).varint(k);
        for (float c : centroids) {
            params.f32(c);
        }
        shared.write(params);
        List<EncodedBlock> blocks = new ArrayList<>();
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            PayloadWriter out = new PayloadWriter(count / 2 + 16);
            SymbolStreams.write(out, symbols, start, count, shared, alphabet);
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        double achieved = AchievedError.max(values, 0, decoded, 0, n);
        return new EncodedTensor(NAME, shape, blockValues, bound, achieved, params.toByteArray(), blocks);
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind == DecoderKind.REFERENCE);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final boolean reference;
        private final float[] centroids;
        private final int alphabet;
        private final HuffmanDecoder shared;

        Decoder(EncodedTensor tensor, boolean reference) {
            super(tensor, NAME);
            this.reference = reference;
            PayloadReader in = SpecText.readHeader(tensor.parameters(), NAME, VERSION);
            int bits = in.u8("index bits");
            if (bits < 1 || bits > MAX_BITS) {
                throw new MalformedInputException(in.position() - 1, "index bits " + bits + " outside 1.." + MAX_BITS);
            }
            int k = in.varint(1 << bits, "centroid count");
            if (k == 0 && tensor.valueCount() > 0) {
                throw in.malformed("no centroids for " + tensor.valueCount() + " values");
            }
            centroids = new float[k];
            for (int j = 0; j < k; j++) {
                centroids[j] = in.f32("centroid");
            }
            alphabet = Math.max(1, k);
            shared = new HuffmanDecoder(HuffmanCode.read(in, alphabet));
            in.expectEnd("kmeans parameters");
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            DecodeScratch scratch = DecodeScratch.get();
            int[] symbols = scratch.ints(0, count);
            SymbolStreams.read(in, shared, alphabet, count, symbols, 0, reference, scratch);
            float[] c = centroids;
            // The Huffman table covers at most `alphabet` symbols, so every decoded index is a valid centroid.
            for (int j = 0; j < count; j++) {
                out[offset + j] = c[symbols[j]];
            }
        }
    }
}
