package dev.nnzip.codec.int4;

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
import org.junit.jupiter.api.Test;

class Int4CodecTest {
    /** Each group of G values (restarting at each codec block) within half its scale; at most 16 values per group. */
    @Property(tries = 60)
    void groupErrorIsAtMostHalfTheGroupScale(@ForAll @IntRange(min = 0, max = 4000) int n,
                                             @ForAll @IntRange(min = 32, max = 128) int group,
                                             @ForAll @IntRange(min = 1, max = 3000) int block, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
        }
        WeightCodec c = Codecs.configure("int4:block=" + group);
        EncodedTensor t = c.encode("w", v, new int[] {n}, ErrorBound.relative(0.01), block);
        float[] fast = c.decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
        assertThat(fast).containsExactly(c.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential()));
        for (int start = 0; start < n; start += block) {
            int end = Math.min(n, start + block);
            for (int g = start; g < end; g += group) {
                int gEnd = Math.min(end, g + group);
                double amax = 0;
                for (int i = g; i < gEnd; i++) {
                    amax = Math.max(amax, Math.abs(v[i]));
                }
                double scale = (float) (amax / 7);
                Set<Float> distinct = new HashSet<>();
                for (int i = g; i < gEnd; i++) {
                    assertThat(Math.abs((double) v[i] - fast[i])).isLessThanOrEqualTo(scale / 2
                            + Math.ulp(fast[i]) / 2);
                    distinct.add(fast[i]);
                }
                assertThat(distinct.size()).isLessThanOrEqualTo(16);
            }
        }
    }

    @Test
    void smallerGroupsAreMoreAccurateAndLarger() {
        SplittableRandom r = new SplittableRandom(5);
        float[] v = new float[1 << 14];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * (1 + (i / 512) % 7));
        }
        EncodedTensor g32 = Codecs.configure("int4:block=32").encode("w", v, new int[] {v.length}, ErrorBound.exact());
        EncodedTensor g128 = Codecs.configure("int4:block=128").encode("w", v, new int[] {v.length},
                ErrorBound.exact());
        assertThat(g32.encodedBytes()).isGreaterThan(g128.encodedBytes());
        // f32 scales: 1 bit/value at 32, 0.25 at 128, plus Huffman-coded 4-bit codes; well under 8 bits a value either way
        assertThat(g128.ratio()).isGreaterThan(32.0 / 5);
        assertThat(g32.ratio()).isGreaterThan(32.0 / 6);
    }
}
