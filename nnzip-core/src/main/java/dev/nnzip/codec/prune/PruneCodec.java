package dev.nnzip.codec.prune;

import dev.nnzip.codec.CodecSettings;
import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.codec.lossless.LosslessCodec;
import dev.nnzip.codec.spi.AchievedError;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.ByteStreams;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.SettingDrivenCodec;
import dev.nnzip.codec.spi.SpecText;
import dev.nnzip.codec.spi.TensorInputs;
import dev.nnzip.kernels.Parallel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unstructured magnitude pruning with a sparse encoding, composed with a value codec for the weights it keeps. See the
 * package documentation.
 */
public final class PruneCodec extends SettingDrivenCodec {
    public static final String NAME = "prune";
    public static final int ID = 10;
    public static final double DEFAULT_SPARSITY = 0.5;
    private static final int VERSION = 1;
    private static final int MAX_CODEC_NAME = 64;

    private final double sparsity;
    /** {@code >= 0} when pruning by one magnitude threshold, else negative (pruning by sparsity). */
    private final double threshold;
    private final WeightCodec values;
    private final String spec;

    public PruneCodec() {
        // Not Codecs.byName: the registry builds this instance while it initialises.
        this(DEFAULT_SPARSITY, -1, new LosslessCodec(), NAME + ":sparsity=" + DEFAULT_SPARSITY);
    }

    private PruneCodec(double sparsity, double threshold, WeightCodec values, String spec) {
        super(NAME, ID);
        this.sparsity = sparsity;
        this.threshold = threshold;
        this.values = values;
        this.spec = spec;
    }

    @Override
    public Map<String, String> settingKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("sparsity", "fraction of each layer's weights to zero, smallest magnitudes first, 0..1, default "
                + DEFAULT_SPARSITY);
        keys.put("threshold", "instead of sparsity: zero every weight with |w| below this, the same for all layers");
        return keys;
    }

    @Override
    public WeightCodec configure(CodecSettings settings) {
        settings.check(NAME, settingKeys());
        if (settings.has("sparsity") && settings.has("threshold")) {
            throw new IllegalArgumentException("prune: give either 'sparsity' or 'threshold', not both");
        }
        if (settings.has("threshold")) {
            double t = settings.getDouble(NAME, "threshold", 0, 0, Double.MAX_VALUE);
            return new PruneCodec(0, t, values, NAME + ":threshold=" + t);
        }
        double s = settings.getDouble(NAME, "sparsity", DEFAULT_SPARSITY, 0, 1);
        return new PruneCodec(s, -1, values, NAME + ":sparsity=" + s);
    }

    /** Prune, then {@code next} for the kept values; the recorded spec becomes the chain. */
    @Override
    public WeightCodec then(WeightCodec next) {
        if (next instanceof PruneCodec) {
            throw new IllegalArgumentException("prune cannot follow prune: give one sparsity or threshold");
        }
        // The chain names the next codec; a configured survey codec records its own settings in its parameters.
        return new PruneCodec(sparsity, threshold, next, spec.split("\\+")[0] + "+" + next.name());
    }

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        TensorInputs.finiteRange(tensorName, NAME, values);
        boolean[] keep = threshold >= 0 ? MagnitudeMask.byThreshold(values, threshold)
                : MagnitudeMask.bySparsity(values, sparsity);
        // Resolve the value codec's bound once over all kept values, so a relative bound means the same in every block.
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (keep[i]) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
        }
        ErrorBound keptBound = ErrorBound.absolute(bound.resolve(min, max));
        PayloadWriter params = new PayloadWriter();
        SpecText.writeHeader(params, VERSION, spec);
        byte[] inner = this.values.name().getBytes(StandardCharsets.UTF_8);
        params.varint(inner.length).bytes(inner);

        int n = values.length;
        float[] decoded = new float[n];
        List<EncodedBlock> blocks = new ArrayList<>();
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            blocks.add(encodeBlock(tensorName, values, keep, start, count, keptBound, decoded));
        }
        double achieved = AchievedError.max(values, 0, decoded, 0, n);
        return new EncodedTensor(NAME, shape, blockValues, bound, achieved, params.toByteArray(), blocks);
    }

    /**
     * Block: the keep bitmap (LSB first, a {@link ByteStreams} stream: Zstd shrinks it when the mask is skewed), the kept
     * count, then the kept values as a one-block tensor of the value codec: its parameters and its block payload.
     */
    private EncodedBlock encodeBlock(String tensorName, float[] v, boolean[] keep, int start, int count,
                                     ErrorBound keptBound, float[] decoded) {
        byte[] bitmap = new byte[(count + 7) / 8];
        float[] kept = new float[count];
        int k = 0;
        for (int j = 0; j < count; j++) {
            if (keep[start + j]) {
                bitmap[j >>> 3] |= (byte) (1 << (j & 7));
                kept[k++] = v[start + j];
            }
        }
        float[] keptValues = Arrays.copyOf(kept, k);
        EncodedTensor inner = values.encode(tensorName, keptValues, new int[] {k}, keptBound, Math.max(1, k));
        float[] back = values.decode(inner, Parallel.sequential());
        for (int j = 0, r = 0; j < count; j++) {
            decoded[start + j] = keep[start + j] ? back[r++] : 0f;
        }
        PayloadWriter out = new PayloadWriter(count / 2 + 64);
        ByteStreams.write(out, bitmap, 0, bitmap.length);
        out.varint(k);
        byte[] innerParams = inner.parameters();
        out.varint(innerParams.length).bytes(innerParams);
        if (k > 0) {
            byte[] payload = inner.blocks().getFirst().payload();
            out.varint(payload.length).bytes(payload);
        }
        return new EncodedBlock(count, out.toByteArray());
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final DecoderKind kind;
        private final WeightCodec inner;
        private final String innerName;

        Decoder(EncodedTensor tensor, DecoderKind kind) {
            super(tensor, NAME);
            this.kind = kind;
            PayloadReader in = SpecText.readHeader(tensor.parameters(), NAME, VERSION);
            int len = in.varint(MAX_CODEC_NAME, "value codec name length");
            int at = in.skip(len, "value codec name");
            innerName = new String(in.array(), at, len, StandardCharsets.UTF_8);
            in.expectEnd("prune parameters");
            if (!Codecs.names().contains(innerName) || innerName.equals(NAME)) {
                throw new MalformedInputException(at, "prune's value codec '" + innerName + "' is unknown or prune "
                        + "itself; expected one of " + Codecs.names());
            }
            inner = Codecs.byName(innerName);
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            int bytes = (count + 7) / 8;
            byte[] bitmap = DecodeScratch.get().bytes(5, bytes);
            int at = in.position();
            if (ByteStreams.read(in, bytes, bitmap, "keep bitmap") != bytes) {
                throw new MalformedInputException(at, "keep bitmap of a " + count + "-value block must hold " + bytes
                        + " bytes");
            }
            int kept = 0;
            for (int j = 0; j < count; j++) {
                kept += (bitmap[j >>> 3] >>> (j & 7)) & 1;
            }
            int k = in.varint(count, "kept count");
            if (k != kept) {
                throw in.malformed("block says " + k + " kept values, the bitmap " + kept);
            }
            int paramsLength = in.varint(in.remaining(), "value codec parameters length");
            byte[] innerParams = Arrays.copyOfRange(in.array(), in.skip(paramsLength, "value codec "
                    + "parameters"), in.position());
            List<EncodedBlock> innerBlocks = new ArrayList<>(1);
            if (k > 0) {
                int payloadLength = in.varint(in.remaining(), "value block length");
                int from = in.skip(payloadLength, "value block");
                innerBlocks.add(new EncodedBlock(k, Arrays.copyOfRange(in.array(), from, in.position())));
            }
            // The bitmap lives in scratch slot 5; the value codec may use the scratch buffers, so copy what we need.
            boolean[] keep = new boolean[count];
            for (int j = 0; j < count; j++) {
                keep[j] = ((bitmap[j >>> 3] >>> (j & 7)) & 1) != 0;
            }
            float[] keptValues = new float[k];
            if (k > 0) {
                EncodedTensor t = new EncodedTensor(innerName, new int[] {k}, k, ErrorBound.exact(), 0, innerParams,
                        innerBlocks);
                try {
                    inner.decoder(t, kind).decodeBlock(0, keptValues, 0);
                } catch (IllegalArgumentException e) {
                    throw new MalformedInputException(at, "prune's value codec rejected its block: " + e.getMessage(), e);
                }
            } else {
                // Still validate the (unused) parameters: a corrupt file should not pass because a block is all zeros.
                inner.decoder(new EncodedTensor(innerName, new int[] {0}, 1, ErrorBound.exact(), 0, innerParams,
                        List.of()), kind);
            }
            for (int j = 0, r = 0; j < count; j++) {
                out[offset + j] = keep[j] ? keptValues[r++] : 0f;
            }
        }
    }
}
