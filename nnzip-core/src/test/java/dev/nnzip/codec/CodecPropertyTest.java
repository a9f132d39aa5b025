package dev.nnzip.codec;

import dev.nnzip.codec.TestTensors.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random tensors, shapes, block sizes and bounds: the {@link CodecAssertions} contract must hold for all of them. */
class CodecPropertyTest {
    @Provide
    Arbitrary<String> codecs() {
        List<String> specs = new ArrayList<>(Codecs.names());
        specs.add("smartdnn:rowsteps=true");
        specs.add("smartdnn:offset=0.375");
        specs.add("smartdnn:rowsteps=true,offset=0.875");
        return Arbitraries.of(specs);
    }

    @Provide
    Arbitrary<ErrorBound> bounds() {
        return Arbitraries.oneOf(
                Arbitraries.of(0.0, 1e-7, 1e-5, 1e-3, 5e-3, 1e-2, 0.1, 0.5, 1.0).map(ErrorBound::relative),
                Arbitraries.of(0.0, 1e-38, 1e-6, 1e-2, 1.0, 1e30).map(ErrorBound::absolute));
    }

    @Property(tries = 300)
    void namedDistributionsRoundTrip(@ForAll("codecs") String codec, @ForAll Kind kind,
                                     @ForAll @IntRange(min = 0, max = 3000) int n,
                                     @ForAll @IntRange(min = 1, max = 1200) int blockValues,
                                     @ForAll("bounds") ErrorBound bound, @ForAll long seed) {
        float[] values = TestTensors.make(kind, n, seed);
        CodecAssertions.assertRoundTrip(Codecs.configure(codec), values, shapeFor(n, seed), bound, blockValues);
    }

    /** Arbitrary finite bit patterns: every exponent from denormal to the largest, both signs, mixed in one tensor. */
    @Property(tries = 200)
    void arbitraryFiniteFloatsRoundTrip(@ForAll("codecs") String codec,
                                        @ForAll @IntRange(min = 0, max = 2000) int n,
                                        @ForAll @IntRange(min = 1, max = 700) int blockValues,
                                        @ForAll("bounds") ErrorBound bound, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = Float.intBitsToFloat(r.nextInt());
            } while (!Float.isFinite(v));
            values[i] = v;
        }
        CodecAssertions.assertRoundTrip(Codecs.configure(codec), values, shapeFor(n, seed), bound, blockValues);
    }

    /** Rows when the size allows, so the per-row remapping and scale classes are exercised with random row counts. */
    private static int[] shapeFor(int n, long seed) {
        for (int rows : new int[] {97, 64, 12, 5, 3, 2}) {
            if (n % rows == 0 && n / rows >= 16 && (seed & 1) == 0) {
                return new int[] {rows, n / rows};
            }
        }
        return new int[] {n};
    }
}
