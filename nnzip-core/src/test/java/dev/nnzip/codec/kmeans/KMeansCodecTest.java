package dev.nnzip.codec.kmeans;

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

class KMeansCodecTest {
    private static Set<Integer> distinctBits(float[] v) {
        Set<Integer> s = new HashSet<>();
        for (float f : v) {
            s.add(Float.floatToRawIntBits(f));
        }
        return s;
    }

    @Property(tries = 80)
    void neverMoreThanTwoToTheBitsDistinctValues(@ForAll @IntRange(min = 1, max = 8) int bits,
                                                 @ForAll @IntRange(min = 0, max = 5000) int n,
                                                 @ForAll @IntRange(min = 1, max = 3000) int block, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
        }
        WeightCodec c = Codecs.configure("kmeans:bits=" + bits);
        EncodedTensor t = c.encode("w", v, new int[] {n}, ErrorBound.relative(0.01), block);
        float[] fast = c.decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
        assertThat(fast).containsExactly(c.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential()));
        assertThat(distinctBits(fast).size()).isLessThanOrEqualTo(1 << bits);
        // every value is mapped to its nearest centroid, so no other shared value is closer
        Set<Integer> centroids = distinctBits(fast);
        for (int i = 0; i < n; i++) {
            double err = Math.abs((double) v[i] - fast[i]);
            for (int cb : centroids) {
                assertThat(Math.abs((double) v[i] - Float.intBitsToFloat(cb))).isGreaterThanOrEqualTo(err);
            }
        }
    }

    @Test
    void fewDistinctValuesAreKeptExactly() {
        float[] v = {0.5f, -0.25f, 0.5f, 0.125f, -0.25f, 0f, 0f};
        WeightCodec c = Codecs.configure("kmeans:bits=2");
        EncodedTensor t = c.encode("w", v, new int[] {7}, ErrorBound.exact());
        assertThat(c.decode(t, Parallel.sequential())).containsExactly(v);
        assertThat(t.absoluteBound()).isZero();
    }

    /** Three well-separated clusters with 2 bits (4 centroids): Lloyd from a linear start finds the cluster means. */
    @Test
    void lloydConvergesToTheClusterMeans() {
        SplittableRandom r = new SplittableRandom(9);
        float[] v = new float[3000];
        double[] centres = {-1, 0.1, 2};
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (centres[i % 3] + 0.01 * r.nextGaussian());
        }
        float[] c = ScalarKMeans.centroids(v, 4);
        assertThat(c).hasSizeLessThanOrEqualTo(4);
        for (double centre : centres) {
            double best = Double.MAX_VALUE;
            for (float x : c) {
                best = Math.min(best, Math.abs(x - centre));
            }
            assertThat(best).as("a centroid near %s", centre).isLessThan(0.01);
        }
    }

    @Test
    void moreBitsMeanSmallerErrorAndLargerFiles() {
        SplittableRandom r = new SplittableRandom(4);
        float[] v = new float[1 << 15];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.05);
        }
        double previousError = Double.MAX_VALUE;
        long previousBytes = 0;
        for (int bits : new int[] {2, 4, 6, 8}) {
            EncodedTensor t = Codecs.configure("kmeans:bits=" + bits).encode("w", v, new int[] {v.length},
                    ErrorBound.exact());
            assertThat(t.absoluteBound()).isLessThan(previousError);
            assertThat(t.encodedBytes()).isGreaterThan(previousBytes);
            // Huffman-coded indices: at most ~bits + 1 bits a value plus the table
            assertThat(t.encodedBytes() * 8.0 / v.length).isLessThan(bits + 1);
            previousError = t.absoluteBound();
            previousBytes = t.encodedBytes();
        }
    }
}
