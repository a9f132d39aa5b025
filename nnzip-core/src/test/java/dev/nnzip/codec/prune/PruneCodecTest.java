package dev.nnzip.codec.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.SpecText;
import dev.nnzip.kernels.Parallel;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PruneCodecTest {
    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.1);
        }
        return v;
    }

    private static float[] roundTrip(WeightCodec c, EncodedTensor t) {
        float[] fast = c.decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
        assertThat(fast).containsExactly(c.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential()));
        return fast;
    }

    /** Exactly floor(s·n) zeros, the smallest magnitudes, the rest exact (the default value codec is lossless). */
    @Property(tries = 60)
    void sparsityPrunesExactlyTheSmallestMagnitudes(@ForAll @DoubleRange(min = 0, max = 1) double sparsity,
                                                    @ForAll @IntRange(min = 0, max = 4000) int n,
                                                    @ForAll @IntRange(min = 1, max = 3000) int block,
                                                    @ForAll long seed) {
        float[] v = gaussian(n, seed);
        WeightCodec c = Codecs.configure("prune:sparsity=" + sparsity);
        float[] d = roundTrip(c, c.encode("w", v, new int[] {n}, ErrorBound.relative(0.01), block));
        int zeros = 0;
        double largestPruned = 0;
        double smallestKept = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (d[i] == 0 && v[i] != 0) {
                zeros++;
                largestPruned = Math.max(largestPruned, Math.abs(v[i]));
            } else {
                assertThat(d[i]).isEqualTo(v[i]);
                smallestKept = Math.min(smallestKept, Math.abs(v[i]));
            }
        }
        assertThat(zeros).isEqualTo((int) Math.floor(sparsity * n));
        assertThat(largestPruned).isLessThanOrEqualTo(smallestKept);
    }

    @Test
    void thresholdPrunesBelowItAndKeepsTheRest() {
        float[] v = gaussian(5000, 1);
        WeightCodec c = Codecs.configure("prune:threshold=0.05");
        float[] d = roundTrip(c, c.encode("w", v, new int[] {50, 100}, ErrorBound.exact(), 1024));
        for (int i = 0; i < v.length; i++) {
            assertThat(d[i]).isEqualTo(Math.abs(v[i]) < 0.05 ? 0f : v[i]);
        }
    }

    /** prune then smartdnn: zeros exact, kept values within smartdnn's bound resolved over the kept values. */
    @Test
    void composedWithAnErrorBoundedCodecKeepsItsBoundOnTheKeptValues() {
        float[] v = gaussian(20_000, 2);
        WeightCodec c = Codecs.configure("prune:sparsity=0.6+smartdnn");
        EncodedTensor t = c.encode("w", v, new int[] {200, 100}, ErrorBound.relative(0.01), 4096);
        float[] d = roundTrip(c, t);
        float[] sorted = v.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = Math.abs(sorted[i]);
        }
        Arrays.sort(sorted);
        float cut = sorted[12_000];
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float w : v) {
            if (Math.abs(w) >= cut) {
                min = Math.min(min, w);
                max = Math.max(max, w);
            }
        }
        double eb = 0.01 * ((double) max - min);
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i]) < cut) {
                assertThat(d[i]).isZero();
            } else {
                assertThat(Math.abs((double) v[i] - d[i])).isLessThanOrEqualTo(eb);
            }
        }
        // and it is much smaller than pruning alone with exact kept values
        EncodedTensor exact = Codecs.configure("prune:sparsity=0.6").encode("w", v, new int[] {200, 100},
                ErrorBound.relative(0.01), 4096);
        assertThat(t.encodedBytes()).isLessThan(exact.encodedBytes() / 3);
    }

    @Test
    void theChainIsRecordedInTheParameters() {
        EncodedTensor t = Codecs.configure("prune:sparsity=0.5+int8:asym=true").encode("w", gaussian(3000, 3),
                new int[] {30, 100}, ErrorBound.exact(), 1000);
        PayloadReader in = new PayloadReader(t.parameters());
        in.u8("version");
        assertThat(SpecText.read(in)).isEqualTo("prune:sparsity=0.5+int8");
        // the int8 stage records its own settings in its per-block parameters
        float[] d = Codecs.decoder(t).decodeAll(Parallel.sequential());
        assertThat(Arrays.stream(box(d)).filter(x -> x == 0).count()).isEqualTo(1500);
    }

    private static Float[] box(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
