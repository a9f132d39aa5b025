package dev.nnzip.codec.smartdnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.kernels.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code smartdnn:offset=f}: the bucket grid moved by a fraction of a width, another rounding within the same bound. */
class SmartDnnOffsetTest {
    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.05 * (r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5));
        }
        return v;
    }

    private static float[] decode(WeightCodec codec, EncodedTensor t, DecoderKind kind) {
        return codec.decoder(t, kind).decodeAll(Parallel.sequential());
    }

    @Test
    void everyOffsetStaysWithinTheBoundRoundsDifferentlyAndCostsAboutTheSame() {
        float[] values = gaussian(6000, 11);
        int[] shape = {60, 100};
        ErrorBound bound = ErrorBound.absolute(0.002);
        WeightCodec plain = Codecs.configure("smartdnn");
        EncodedTensor base = plain.encode("w", values, shape, bound);
        float[] baseDecoded = decode(plain, base, DecoderKind.FAST);
        assertThat(Codecs.configure("smartdnn:offset=0").encode("w", values, shape, bound).blocks().getFirst().payload())
                .as("offset 0 is the codec's own grid").isEqualTo(base.blocks().getFirst().payload());
        for (String offset : new String[] {"0.125", "0.5", "0.875"}) {
            WeightCodec codec = Codecs.configure("smartdnn:offset=" + offset);
            EncodedTensor t = codec.encode("w", values, shape, bound);
            float[] fast = decode(codec, t, DecoderKind.FAST);
            float[] reference = decode(codec, t, DecoderKind.REFERENCE);
            int moved = 0;
            for (int i = 0; i < values.length; i++) {
                assertThat(Math.abs((double) values[i] - fast[i])).as("offset %s at %d", offset, i)
                        .isLessThanOrEqualTo(t.absoluteBound());
                assertThat(Float.floatToRawIntBits(fast[i])).isEqualTo(Float.floatToRawIntBits(reference[i]));
                moved += fast[i] != baseDecoded[i] ? 1 : 0;
            }
            // A moved grid rounds most weights to another point; the stream stays about as large.
            assertThat(moved).as("offset %s", offset).isGreaterThan(values.length / 2);
            assertThat((double) t.encodedBytes() / base.encodedBytes()).as("offset %s", offset).isBetween(0.9, 1.15);
        }
    }

    @Test
    void anOffsetOfAWholeWidthOrMoreIsRefusedWithTheValidRange() {
        assertThatThrownBy(() -> Codecs.configure("smartdnn:offset=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset").hasMessageContaining("[0.0, 0.99]").hasMessageContaining("'1'");
        assertThatThrownBy(() -> Codecs.configure("smartdnn:offset=-0.25"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    }
}
