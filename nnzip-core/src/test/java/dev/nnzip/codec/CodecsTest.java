package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecsTest {
    @Test
    void registryKnowsTheCodecsByNameAndId() {
        assertThat(Codecs.names()).containsExactly("smartdnn", "sz", "uniform", "lossless", "int8", "int4", "fp16",
                "bf16", "kmeans", "prune");
        Set<Integer> ids = new HashSet<>();
        for (WeightCodec c : Codecs.all()) {
            assertThat(Codecs.byName(c.name())).isSameAs(c);
            assertThat(Codecs.byId(c.id())).isSameAs(c);
            assertThat(ids.add(c.id())).as("unique id").isTrue();
        }
        assertThat(Codecs.byName("lossless").isLossless()).isTrue();
        assertThat(Codecs.byName("smartdnn").isLossless()).isFalse();
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> Codecs.byName("zip")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown codec 'zip', expected one of [smartdnn, sz, uniform, lossless, int8, int4, fp16,"
                        + " bf16, kmeans, prune]");
        assertThatThrownBy(() -> Codecs.byId(99)).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("unknown codec id 99").hasMessageContaining("1=smartdnn");
    }

    @Test
    void aDecoderRefusesAnotherCodecsTensor() {
        EncodedTensor t = Codecs.byName("uniform").encode("w", new float[] {1, 2}, new int[] {2},
                ErrorBound.relative(0.01));
        assertThatThrownBy(() -> Codecs.byName("sz").decoder(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("written by codec 'uniform', not 'sz'");
        assertThat(Codecs.decoder(t).tensor()).isSameAs(t);
    }

    @Test
    void lossyCodecsRejectNonFiniteValuesNamingTheTensor() {
        for (String name : new String[] {"smartdnn", "sz", "uniform"}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] values = {0.5f, bad, 1f};
                assertThatThrownBy(() -> Codecs.byName(name).encode("layer1.weight", values, new int[] {3},
                        ErrorBound.relative(1e-3))).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("tensor 'layer1.weight'").hasMessageContaining("at index 1")
                        .hasMessageContaining("'lossless'");
            }
        }
    }

    @Test
    void losslessKeepsNonFiniteValuesAndNaNPayloadsBitExact() {
        float[] values = {Float.NaN, Float.intBitsToFloat(0x7FC0_1234), Float.NEGATIVE_INFINITY, -0.0f,
                Float.MIN_VALUE, -Float.MIN_NORMAL / 3};
        WeightCodec lossless = Codecs.byName("lossless");
        CodecAssertions.assertRoundTrip(lossless, values, new int[] {2, 3}, ErrorBound.exact(), 4);
    }

    @Test
    void shapeAndBlockSizeAreChecked() {
        WeightCodec c = Codecs.byName("smartdnn");
        assertThatThrownBy(() -> c.encode("w", new float[5], new int[] {2, 3}, ErrorBound.relative(0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3] holds 6 values, the array has 5");
        assertThatThrownBy(() -> c.encode("w", new float[6], new int[] {2, 3}, ErrorBound.relative(0.1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block size");
    }

    @Test
    void errorBoundsValidateAndResolve() {
        assertThatThrownBy(() -> ErrorBound.relative(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorBound.absolute(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorBound.absolute(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ErrorBound.absolute(0.5).resolve(-100, 100)).isEqualTo(0.5);
        assertThat(ErrorBound.relative(0.5).resolve(-1, 3)).isEqualTo(2.0);
        // The range of two extreme floats overflows float but not double.
        assertThat(ErrorBound.relative(1e-3).resolve(-Float.MAX_VALUE, Float.MAX_VALUE))
                .isEqualTo(1e-3 * 2 * (double) Float.MAX_VALUE);
    }
}
