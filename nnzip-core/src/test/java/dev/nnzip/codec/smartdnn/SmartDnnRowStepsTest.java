package dev.nnzip.codec.smartdnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.kernels.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code smartdnn:rowsteps=true}: rows narrower than the tensor get a proportionally finer bucket width. */
class SmartDnnRowStepsTest {
    private static final int ROWS = 24;
    private static final int COLS = 200;
    private static final WeightCodec ROW_STEPS = Codecs.configure("smartdnn:rowsteps=true");

    @Test
    void exponentsAreTheEighthOctavesFromTheTensorRmsDownToEachNarrowerRow() {
        float[] values = rowScaled(new SplittableRandom(3));
        byte[] k = RowSteps.exponents(values, COLS);
        double tensorRms = rms(values, 0, values.length);
        for (int r = 0; r < ROWS; r++) {
            double rowRms = rms(values, r * COLS, (r + 1) * COLS);
            double eighths = 8 * Math.log(tensorRms / rowRms) / Math.log(2);
            if (eighths <= 0.5) {
                assertThat(k[r]).as("row %d is not narrower than the tensor by half an eighth-octave", r).isZero();
            } else {
                // The nearest eighth of an octave to the row's own scale.
                assertThat((double) (k[r] & 0xFF)).as("row %d", r).isCloseTo(eighths,
                        org.assertj.core.data.Offset.offset(0.5 + 1e-9));
            }
        }
        assertThat(RowSteps.exponents(new float[2 * COLS], COLS)).as("rows of zeros").containsOnly(0);
    }

    @Test
    void everyRowMeetsTheBoundScaledToItsOwnRmsAndDecodersAgree() {
        float[] values = rowScaled(new SplittableRandom(5));
        int[] shape = {ROWS, COLS};
        double tensorRms = rms(values, 0, values.length);
        for (double eb : new double[] {1e-3, 2e-2, 0.1}) {
            EncodedTensor t = ROW_STEPS.encode("t", values, shape, ErrorBound.absolute(eb), 1000);
            float[] fast = ROW_STEPS.decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
            float[] reference = ROW_STEPS.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential());
            for (int r = 0; r < ROWS; r++) {
                // Within the tensor's bound, and within the row's share of it up to the half eighth-octave of rounding.
                double rowBound = eb * Math.min(1, Math.pow(2, 1 / 16.0) * rms(values, r * COLS, (r + 1) * COLS)
                        / tensorRms);
                for (int i = r * COLS; i < (r + 1) * COLS; i++) {
                    assertThat(Float.floatToRawIntBits(fast[i])).as("fast vs reference at %d", i)
                            .isEqualTo(Float.floatToRawIntBits(reference[i]));
                    assertThat(Math.abs((double) values[i] - fast[i])).as("eb %s, row %d, value %d", eb, r, i)
                            .isLessThanOrEqualTo(rowBound * (1 + 1e-6));
                }
            }
            assertThat(ROW_STEPS.describe(t.parameters())).isEqualTo("smartdnn:rowsteps=true");
        }
    }

    @Test
    void narrowRowsCostBitsAndEvenRowsDecodeAsWithOneWidth() {
        float[] values = rowScaled(new SplittableRandom(7));
        int[] shape = {ROWS, COLS};
        WeightCodec plain = Codecs.byName("smartdnn");
        ErrorBound bound = ErrorBound.absolute(0.02);
        EncodedTensor shared = plain.encode("t", values, shape, bound, 1000);
        EncodedTensor perRow = ROW_STEPS.encode("t", values, shape, bound, 1000);
        assertThat(plain.describe(shared.parameters())).isEqualTo("smartdnn");
        assertThat(perRow.encodedBytes()).isGreaterThan(shared.encodedBytes());

        // Every row as wide as the tensor: the widths are the tensor's, and only the row header is added.
        float[] even = new float[ROWS * COLS];
        for (int i = 0; i < even.length; i++) {
            even[i] = (i & 1) == 0 ? 0.1f : -0.1f;
        }
        float[] a = plain.decode(plain.encode("t", even, shape, bound, 1000), Parallel.sequential());
        float[] b = ROW_STEPS.decode(ROW_STEPS.encode("t", even, shape, bound, 1000), Parallel.sequential());
        assertThat(b).containsExactly(a);
    }

    @Test
    void oneDimensionalAndShortRowTensorsKeepOneWidth() {
        float[] values = rowScaled(new SplittableRandom(11));
        ErrorBound bound = ErrorBound.absolute(0.01);
        EncodedTensor flat = ROW_STEPS.encode("t", values, new int[] {values.length}, bound, 1000);
        EncodedTensor shortRows = ROW_STEPS.encode("t", values, new int[] {values.length / 4, 4}, bound, 1000);
        assertThat(ROW_STEPS.describe(flat.parameters())).isEqualTo("smartdnn");
        assertThat(ROW_STEPS.describe(shortRows.parameters())).isEqualTo("smartdnn");
    }

    /** Gaussian rows whose scales spread over four octaves, as a filter bank with a BatchNorm folded in. */
    private static float[] rowScaled(SplittableRandom r) {
        float[] v = new float[ROWS * COLS];
        for (int row = 0; row < ROWS; row++) {
            double sigma = 0.1 * Math.pow(2, -4.0 * row / (ROWS - 1));
            for (int i = row * COLS; i < (row + 1) * COLS; i++) {
                v[i] = (float) (sigma * gauss(r));
            }
        }
        return v;
    }

    private static double rms(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) v[i] * v[i];
        }
        return Math.sqrt(s / (to - from));
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
