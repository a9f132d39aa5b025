package dev.nnzip.codec;

import dev.nnzip.kernels.Parallel;

/**
 * An error-bounded (or lossless) compressor for one weight tensor.
 *
 * <p>Contract shared by every codec:
 * <ul>
 *   <li>{@code |w − ŵ| <= eb} for every weight, where {@code eb} is {@link ErrorBound#resolve resolved} for the tensor.
 *       Encoders check this value by value with the decoder's own float arithmetic and store a value raw whenever rounding
 *       would break it, so the guarantee never rests on an error analysis. Lossless codecs are bit-exact.</li>
 *   <li>The tensor is cut into blocks of {@code blockValues} values, each decodable on its own given the tensor parameters.</li>
 *   <li>Decoders reject corrupt input with {@link MalformedInputException} only: no other exception type, no unbounded
 *       allocation from a length read from the payload, no endless loop.</li>
 *   <li>Error-bounded codecs reject NaN and infinities with an {@link IllegalArgumentException} naming the tensor.</li>
 * </ul>
 */
public interface WeightCodec {
    /** Registry name, e.g. {@code "smartdnn"}. */
    String name();

    /** Stable one-byte number for containers (never reused for another codec). */
    int id();

    /** True if decoding returns the input bit for bit whatever the bound. */
    boolean isLossless();

    /**
     * Encodes {@code values} (row-major, {@code shape}'s product long) into blocks of {@code blockValues} values.
     *
     * @param tensorName used in error messages only
     * @throws IllegalArgumentException if the sizes disagree, {@code blockValues < 1}, or a lossy codec meets NaN/Inf
     */
    EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues);

    /** {@link #encode(String, float[], int[], ErrorBound, int)} with {@link EncodedTensor#DEFAULT_BLOCK_VALUES}. */
    default EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound) {
        return encode(tensorName, values, shape, bound, EncodedTensor.DEFAULT_BLOCK_VALUES);
    }

    /**
     * A decoder for {@code tensor}.
     *
     * @throws MalformedInputException  if the tensor parameters are corrupt
     * @throws IllegalArgumentException if {@code tensor} was written by another codec
     */
    TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind);

    /** The fast decoder. */
    default TensorDecoder decoder(EncodedTensor tensor) {
        return decoder(tensor, DecoderKind.FAST);
    }

    /**
     * True if the codec honours the {@link ErrorBound} it is given ({@code |w − ŵ| <= eb}, exact at 0). The survey
     * codecs (int8, int4, fp16, bf16, kmeans, prune) answer false: their setting is a bit width, group size or sparsity
     * ({@link #configure}), and the absolute bound they record is the largest error they measured, still a guarantee for
     * the stored tensor but an outcome rather than a request.
     */
    default boolean isErrorBounded() {
        return true;
    }

    /**
     * The settings this codec takes ({@link CodecSettings}), key → one-line description. Error-bounded codecs take none:
     * their setting is the {@link ErrorBound}.
     */
    default java.util.Map<String, String> settingKeys() {
        return java.util.Map.of();
    }

    /**
     * This codec with {@code settings} applied (codecs are immutable: a configured copy, or {@code this} when there is
     * nothing to apply). Decoding never needs the settings: an encoder records in the tensor parameters whatever its
     * decoder needs, so the registry's default instance decodes every tensor of its codec.
     *
     * @throws IllegalArgumentException for an unknown key (listing the valid ones) or a value out of range
     */
    default WeightCodec configure(CodecSettings settings) {
        settings.check(name(), settingKeys());
        return this;
    }

    /**
     * This codec followed by {@code next} for the values it keeps (a {@link CodecSpec} chain such as
     * {@code prune:sparsity=0.5+smartdnn}). Only codecs that select values, not transform them, can be followed.
     *
     * @throws IllegalArgumentException if this codec cannot be followed by another
     */
    default WeightCodec then(WeightCodec next) {
        throw new IllegalArgumentException("codec '" + name() + "' cannot be followed by '" + next.name()
                + "'; only a pruning stage ('prune') takes a codec for the values it keeps");
    }

    /**
     * The spec a tensor was written with ({@code int4:block=64}, {@code prune:sparsity=0.5+smartdnn}), read from its
     * parameters, for tools such as {@code nnzip inspect}; the codec name for codecs without settings or when the
     * parameters cannot be read.
     */
    default String describe(byte[] parameters) {
        return name();
    }

    /** Decodes the whole tensor, blocks in parallel. */
    default float[] decode(EncodedTensor tensor, Parallel parallel) {
        return decoder(tensor).decodeAll(parallel);
    }
}
