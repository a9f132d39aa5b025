package dev.nnzip.codec.int8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.kernels.Parallel;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class Int8CodecTest {
    /** Rows with very different scales, a zero row, and a mean offset, like the output channels of a trained layer. */
    static float[] channels(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int o = 0; o < rows; o++) {
            double sigma = o == 1 ? 0 : Math.exp(r.nextGaussian() * 2) * 0.05;
            double mean = r.nextGaussian() * sigma;
            for (int i = 0; i < cols; i++) {
                v[o * cols + i] = (float) (mean + sigma * r.nextGaussian());
            }
        }
        return v;
    }

    private static float[] decode(WeightCodec c, EncodedTensor t, DecoderKind kind) {
        return c.decoder(t, kind).decodeAll(Parallel.sequential());
    }

    /** Symmetric: every error within half a channel step (plus the final float rounding), at most 255 codes. */
    @Property(tries = 40)
    void symmetricErrorIsAtMostHalfTheChannelScale(@ForAll @IntRange(min = 2, max = 40) int rows,
                                                    @ForAll @IntRange(min = 1, max = 300) int cols,
                                                    @ForAll @IntRange(min = 1, max = 5000) int block,
                                                    @ForAll long seed) {
        float[] v = channels(rows, cols, seed);
        WeightCodec c = Codecs.configure("int8");
        EncodedTensor t = c.encode("w", v, new int[] {rows, cols}, ErrorBound.relative(0.01), block);
        float[] fast = decode(c, t, DecoderKind.FAST);
        assertThat(fast).containsExactly(decode(c, t, DecoderKind.REFERENCE));
        double maxError = 0;
        for (int o = 0; o < rows; o++) {
            double amax = 0;
            for (int i = 0; i < cols; i++) {
                amax = Math.max(amax, Math.abs(v[o * cols + i]));
            }
            double scale = (float) (amax / 127);
            Set<Float> distinct = new HashSet<>();
            for (int i = 0; i < cols; i++) {
                int k = o * cols + i;
                double err = Math.abs((double) v[k] - fast[k]);
                assertThat(err).as("row %d col %d", o, i).isLessThanOrEqualTo(scale / 2 + Math.ulp(fast[k]) / 2);
                maxError = Math.max(maxError, err);
                distinct.add(fast[k]);
                // the decoded value is an integer multiple of the channel scale within ±127
                double q = scale == 0 ? fast[k] : fast[k] / scale;
                assertThat(Math.abs(q)).isLessThanOrEqualTo(127.0001);
            }
            assertThat(distinct.size()).isLessThanOrEqualTo(255);
        }
        assertThat(t.absoluteBound()).isEqualTo(maxError);
    }

    @Property(tries = 40)
    void asymmetricErrorIsAtMostHalfTheChannelScaleAndZeroIsExact(@ForAll @IntRange(min = 2, max = 20) int rows,
                                                                   @ForAll @IntRange(min = 1, max = 300) int cols,
                                                                   @ForAll long seed) {
        float[] v = channels(rows, cols, seed);
        for (int i = 0; i < v.length; i += 7) {
            v[i] = 0; // zeros (pruned weights) must stay exactly zero
        }
        WeightCodec c = Codecs.configure("int8:asym=true");
        EncodedTensor t = c.encode("w", v, new int[] {rows, cols}, ErrorBound.relative(0.01), 1000);
        float[] fast = decode(c, t, DecoderKind.FAST);
        assertThat(fast).containsExactly(decode(c, t, DecoderKind.REFERENCE));
        for (int o = 0; o < rows; o++) {
            double lo = 0;
            double hi = 0;
            for (int i = 0; i < cols; i++) {
                lo = Math.min(lo, v[o * cols + i]);
                hi = Math.max(hi, v[o * cols + i]);
            }
            double scale = (float) ((hi - lo) / 255);
            for (int i = 0; i < cols; i++) {
                int k = o * cols + i;
                assertThat(Math.abs((double) v[k] - fast[k])).isLessThanOrEqualTo(scale / 2 + Math.ulp(fast[k]) / 2);
                if (v[k] == 0) {
                    assertThat(fast[k]).isZero();
                }
            }
        }
    }

    /** Asymmetric on one-signed data uses the whole 8 bits for the range, so it beats symmetric there. */
    @org.junit.jupiter.api.Test
    void asymmetricIsFinerOnOneSignedChannels() {
        SplittableRandom r = new SplittableRandom(1);
        float[] v = new float[64 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(0, 1);
        }
        double sym = Codecs.configure("int8").encode("w", v, new int[] {64, 64}, ErrorBound.exact()).absoluteBound();
        double asym = Codecs.configure("int8:asym=true").encode("w", v, new int[] {64, 64}, ErrorBound.exact())
                .absoluteBound();
        assertThat(sym).isGreaterThan(0.0035).isLessThanOrEqualTo(1 / 127.0 / 2 + 1e-7);
        assertThat(asym).isLessThanOrEqualTo(1 / 255.0 / 2 + 1e-7);
    }

    /** axis=-1: channels are columns ([K, N] MatMul weights); a column of tiny values keeps its own fine scale. */
    @org.junit.jupiter.api.Test
    void lastAxisChannelsAreColumns() {
        int rows = 50;
        int cols = 3;
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            v[i * cols] = i;             // column 0: 0..49
            v[i * cols + 1] = i * 1e-4f; // column 1: tiny
            v[i * cols + 2] = -i;
        }
        WeightCodec byColumn = Codecs.configure("int8:axis=-1");
        float[] d = byColumn.decode(byColumn.encode("w", v, new int[] {rows, cols}, ErrorBound.exact()),
                Parallel.sequential());
        for (int i = 0; i < rows; i++) {
            assertThat(Math.abs((double) d[i * cols + 1] - v[i * cols + 1])).isLessThanOrEqualTo(49e-4 / 127 / 2 * 1.0001);
        }
        WeightCodec byRow = Codecs.configure("int8");
        float[] e = byRow.decode(byRow.encode("w", v, new int[] {rows, cols}, ErrorBound.exact()),
                Parallel.sequential());
        double rowError = 0;
        for (int i = 0; i < rows; i++) {
            rowError = Math.max(rowError, Math.abs((double) e[i * cols + 1] - v[i * cols + 1]));
        }
        assertThat(rowError).isGreaterThan(49e-4 / 127 / 2 * 1.0001); // rows mix scales: the tiny column suffers
    }
}
