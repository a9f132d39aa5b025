package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nnzip.kernels.Parallel;
import java.math.BigDecimal;
import java.util.Arrays;

/** The checks every codec must pass on every tensor. */
final class CodecAssertions {
    private static final Parallel TWO_THREADS = new Parallel(2);

    private CodecAssertions() {
    }

    /**
     * Encodes, decodes with both decoders and checks: the bound (or bit-exactness), fast == reference to the bit,
     * deterministic encoding and decoding, parallel == sequential, block-wise decoding at an offset.
     */
    static EncodedTensor assertRoundTrip(WeightCodec codec, float[] values, int[] shape, ErrorBound bound,
                                         int blockValues) {
        EncodedTensor t = codec.encode("t", values, shape, bound, blockValues);
        assertThat(t.codec()).isEqualTo(codec.name());
        assertThat(t.valueCount()).isEqualTo(values.length);
        float[] fast = codec.decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
        float[] reference = codec.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential());
        assertBitsEqual(fast, reference, codec.name() + ": fast vs reference decoder");
        if (codec.isLossless()) {
            assertBitsEqual(fast, values, codec.name() + ": lossless round trip");
        } else {
            assertWithinBound(values, fast, t.absoluteBound(), codec.name());
        }
        assertThat(codec.encode("t", values, shape, bound, blockValues)).as("deterministic encoding").isEqualTo(t);
        assertBitsEqual(codec.decode(t, TWO_THREADS), fast, codec.name() + ": parallel decode");
        TensorDecoder decoder = codec.decoder(t);
        // A dirty target (a reused buffer): every value must be written, none may rely on a zeroed array.
        float[] shifted = new float[values.length + 3];
        Arrays.fill(shifted, Float.NaN);
        for (int b = t.blocks().size() - 1; b >= 0; b--) {
            decoder.decodeBlock(b, shifted, 3 + t.blockStart(b));
        }
        assertBitsEqual(Arrays.copyOfRange(shifted, 3, shifted.length), fast,
                codec.name() + ": block-wise decode into a dirty buffer");
        return t;
    }

    static void assertBitsEqual(float[] actual, float[] expected, String what) {
        assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                fail(what + ": value " + i + " is " + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(
                        actual[i])) + "), expected " + expected[i] + " (0x" + Integer.toHexString(
                        Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }

    /** |w − ŵ| <= eb for every value, in exact arithmetic (doubles first, BigDecimal where doubles are not conclusive). */
    static void assertWithinBound(float[] original, float[] decoded, double eb, String what) {
        assertThat(decoded.length).isEqualTo(original.length);
        for (int i = 0; i < original.length; i++) {
            double diff = Math.abs((double) original[i] - (double) decoded[i]);
            if (!(diff <= eb)) {
                BigDecimal exact = new BigDecimal(original[i]).subtract(new BigDecimal(decoded[i])).abs();
                if (Float.isNaN(decoded[i]) || exact.compareTo(new BigDecimal(eb)) > 0) {
                    fail(what + ": value " + i + " decoded as " + decoded[i] + " from " + original[i] + ", error "
                            + diff + " > bound " + eb);
                }
            }
        }
    }
}
