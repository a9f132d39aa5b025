package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.TestTensors.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every codec over every kind of tensor, sizes around block boundaries, and a spread of bounds. */
class CodecRoundTripTest {
    private static final int BLOCK = 1024;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[] sizes = {0, 1, 7, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK - 1, 2 * BLOCK + 1, 5 * BLOCK + 17};
        for (String codec : Codecs.names()) {
            for (Kind kind : Kind.values()) {
                for (int n : sizes) {
                    for (double rel : new double[] {1e-3, 1e-2}) {
                        cases.add(Arguments.of(codec, kind, n, ErrorBound.relative(rel)));
                    }
                }
                cases.add(Arguments.of(codec, kind, 3 * BLOCK, ErrorBound.relative(0)));
                cases.add(Arguments.of(codec, kind, 3 * BLOCK, ErrorBound.relative(0.25)));
                cases.add(Arguments.of(codec, kind, 3 * BLOCK, ErrorBound.absolute(1e-3)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} n={2} {3}")
    @MethodSource("cases")
    void roundTripsWithinBound(String codecName, Kind kind, int n, ErrorBound bound) {
        float[] values = TestTensors.make(kind, n, n * 31L + kind.ordinal());
        // Rows of 64 when they divide the tensor, so per-row remapping and scale classes are exercised too.
        int[] shape = n % 64 == 0 && n >= 128 ? new int[] {n / 64, 64} : new int[] {n};
        CodecAssertions.assertRoundTrip(Codecs.byName(codecName), values, shape, bound, BLOCK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecNames")
    void defaultBlockSizeBoundaries(String codecName) {
        WeightCodec codec = Codecs.byName(codecName);
        for (int n : new int[] {EncodedTensor.DEFAULT_BLOCK_VALUES - 1, EncodedTensor.DEFAULT_BLOCK_VALUES + 1}) {
            float[] values = TestTensors.make(Kind.CHANNEL_SCALED, n, n);
            EncodedTensor t = CodecAssertions.assertRoundTrip(codec, values, new int[] {n}, ErrorBound.relative(1e-3),
                    EncodedTensor.DEFAULT_BLOCK_VALUES);
            assertThat(t.blocks()).hasSize(n < EncodedTensor.DEFAULT_BLOCK_VALUES ? 1 : 2);
        }
    }

    static Stream<String> codecNames() {
        return Codecs.names().stream();
    }

    @Test
    void boundIsResolvedAgainstTheRange() {
        float[] values = {-1f, 0.5f, 3f};
        EncodedTensor t = Codecs.byName("uniform").encode("w", values, new int[] {3}, ErrorBound.relative(0.01));
        assertThat(t.absoluteBound()).isEqualTo(0.01 * 4.0);
        assertThat(t.bound()).isEqualTo(ErrorBound.relative(0.01));
    }

    @Test
    void zeroBoundIsExact() {
        float[] values = TestTensors.make(Kind.GAUSSIAN, 3000, 5);
        for (WeightCodec codec : Codecs.all()) {
            if (!codec.isErrorBounded()) {
                continue; // the survey codecs' setting is a bit width or sparsity, not a bound
            }
            EncodedTensor t = codec.encode("w", values, new int[] {3000}, ErrorBound.exact(), 1000);
            CodecAssertions.assertBitsEqual(codec.decode(t, dev.nnzip.kernels.Parallel.sequential()), values,
                    codec.name() + " at bound 0");
        }
    }

    @Test
    void lossyCodecsCompressWeightLikeData() {
        float[] values = TestTensors.make(Kind.CHANNEL_SCALED, 64 * 1024, 11);
        for (String name : List.of("smartdnn", "sz", "uniform")) {
            EncodedTensor t = Codecs.byName(name).encode("w", values, new int[] {256, 256}, ErrorBound.relative(1e-2));
            // ~3.5 bits per value at this bound; anything near 32 would mean the quantizer escaped everything.
            assertThat(t.ratio()).as(name).isGreaterThan(6);
        }
    }
}
