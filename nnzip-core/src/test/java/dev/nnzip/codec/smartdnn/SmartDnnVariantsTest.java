package dev.nnzip.codec.smartdnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.quant.QuantCodes;
import dev.nnzip.codec.smartdnn.Remapping.Statistic;
import dev.nnzip.kernels.Parallel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every payload variant the remapping can choose (statistic × grouping × classes × per-sign codes × sign elision), forced,
 * so each decoder path is exercised whatever the search would pick for the data.
 */
class SmartDnnVariantsTest {
    private static final int ROWS = 37;
    private static final int COLS = 75; // rows straddle block boundaries
    private static final int BLOCK = 512;

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (Statistic statistic : Statistic.values()) {
            for (boolean perRow : new boolean[] {false, true}) {
                for (int classes : new int[] {1, 3, 16}) {
                    if (!perRow && classes > 1) {
                        continue;
                    }
                    for (boolean perSign : new boolean[] {false, true}) {
                        boolean elide = statistic == Statistic.ZERO && !perSign;
                        for (boolean rowSteps : new boolean[] {false, true}) {
                            out.add(Arguments.of(statistic, perRow, classes, perSign, elide, rowSteps));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} perRow={1} classes={2} perSign={3} elide={4} rowSteps={5}")
    @MethodSource("variants")
    void everyVariantRoundTripsWithinBoundAndFastEqualsReference(Statistic statistic, boolean perRow, int classes,
                                                                 boolean perSign, boolean elide, boolean rowSteps) {
        SmartDnnCodec codec = (SmartDnnCodec) Codecs.configure("smartdnn:rowsteps=" + rowSteps);
        float[] values = channelScaled(ROWS * COLS, COLS, 5);
        int[] shape = {ROWS, COLS};
        for (double rel : new double[] {1e-3, 3e-2, 0.3}) {
            float step = QuantCodes.step(ErrorBound.relative(rel).resolve(min(values), max(values)));
            int groupLength = perRow ? COLS : values.length;
            int groups = Remapper.groupCount(values.length, groupLength);
            float[][] alphas = Remapper.scales(values, groupLength, groups, statistic);
            float[] rowScale = new float[groups];
            for (int g = 0; g < groups; g++) {
                rowScale[g] = (g * 7919) % groups; // any class assignment must work, not just sorted ones
            }
            byte[] groupClass = Remapper.classify(rowScale, classes);
            Remapping forced = new Remapping(statistic, groupLength, alphas[0], alphas[1], classes, groupClass,
                    perSign, elide);
            EncodedTensor t = codec.encode("t", values, shape, ErrorBound.relative(rel), BLOCK, forced);
            assertThat(codec.describe(t.parameters())).isEqualTo(rowSteps ? "smartdnn:rowsteps=true" : "smartdnn");
            float[] fast = new SmartDnnCodec().decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
            float[] reference = new SmartDnnCodec().decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential());
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(fast[i])).as("fast vs reference at %d", i)
                        .isEqualTo(Float.floatToRawIntBits(reference[i]));
                BigDecimal err = new BigDecimal(values[i]).subtract(new BigDecimal(fast[i])).abs();
                assertThat(err.doubleValue()).as("error at %d", i).isLessThanOrEqualTo(t.absoluteBound());
            }
            assertThat(step).isPositive();
        }
    }

    @Test
    void vectorAndScalarReconstructionAgreeBitForBit() {
        Assumptions.assumeTrue(Reconstruction.VECTOR, "jdk.incubator.vector not present");
        SplittableRandom r = new SplittableRandom(1);
        int n = 1000;
        byte[] signs = new byte[n / 8 + 16];
        r.nextBytes(signs);
        int[] symbols = new int[n + 64];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = QuantCodes.CENTER + r.nextInt(-300, 300);
        }
        for (int[] range : new int[][] {{0, n}, {3, 997}, {8, 16}, {5, 7}, {0, 0}}) {
            float[] vector = new float[n];
            float[] scalar = new float[n];
            Reconstruction.signed(signs, symbols, range[0], range[1], 0.0173f, 0.0211f, 1e-3f, vector, 0);
            Reconstruction.scalar(signs, symbols, range[0], range[1], 0.0173f, 0.0211f, 1e-3f, scalar, 0);
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToRawIntBits(vector[i])).isEqualTo(Float.floatToRawIntBits(scalar[i]));
            }
        }
        for (int count : new int[] {1, 63, 64, 65, 1000}) {
            byte[] a = new byte[count / 8 + 16];
            byte[] b = new byte[count / 8 + 16];
            int signedA = Reconstruction.expandElidedSigns(signs, symbols, count, a, true);
            int signedB = Reconstruction.expandElidedSigns(signs, symbols, count, b, false);
            assertThat(a).isEqualTo(b);
            int expected = 0;
            for (int i = 0; i < count; i++) {
                expected += SmartDnnQuantizer.signed(symbols[i]) ? 1 : 0;
            }
            assertThat(signedA).as("signs consumed").isEqualTo(expected).isEqualTo(signedB);
        }
    }

    @Test
    void elidedSignsAreSpreadToTheirValues() {
        // symbols: signed, zero (CENTER), escape, signed, signed; stream bits 1, 0, 1 go to values 0, 3, 4.
        int c = QuantCodes.CENTER;
        int[] symbols = new int[64];
        java.util.Arrays.fill(symbols, c);
        symbols[0] = c + 1;
        symbols[2] = QuantCodes.ESCAPE;
        symbols[3] = c + 2;
        symbols[4] = c + 5;
        byte[] stream = new byte[24];
        stream[0] = 0b101;
        byte[] aligned = new byte[24];
        assertThat(Reconstruction.expandElidedSigns(stream, symbols, 5, aligned, false)).isEqualTo(3);
        assertThat(aligned[0]).isEqualTo((byte) 0b10001);
    }

    private static float[] channelScaled(int n, int rowLength, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int row = 0; row * rowLength < n; row++) {
            double sigma = 0.05 * Math.exp(0.7 * gauss(r));
            double mean = 0.3 * sigma * gauss(r);
            for (int i = row * rowLength; i < Math.min(n, (row + 1) * rowLength); i++) {
                v[i] = (float) (mean + sigma * gauss(r));
            }
        }
        v[17] = -3f; // an outlier, so some variants escape values
        return v;
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
