package dev.nnzip.ops.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErfTest {
    /** erf at a few points, to 17 significant digits (from a 50-digit evaluation). */
    private static final double[][] REFERENCE = {
        {1e-10, 1.1283791670955126e-10},
        {0.1, 0.11246291601828489},
        {0.5, 0.52049987781304654},
        {1.0, 0.84270079294971487},
        {1.5, 0.96610514647531073},
        {2.0, 0.99532226501895273},
        {2.9, 0.99995890212190054},
        {3.0, 0.99997790950300141},
        {3.5, 0.99999925690162766},
        {4.5, 0.99999999980338394},
        {6.0, 1.0},
    };

    @Test
    void doubleErfIsAccurateToAFewUlp() {
        for (double[] p : REFERENCE) {
            assertThat(Erf.erf(p[0])).as("erf(%s)", p[0]).isCloseTo(p[1], within(4 * Math.ulp(p[1])));
            assertThat(Erf.erf(-p[0])).as("erf(-%s)", p[0]).isCloseTo(-p[1], within(4 * Math.ulp(p[1])));
        }
        assertThat(Erf.erf(0.0)).isZero();
        assertThat(Erf.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Erf.erf(Double.NaN)).isNaN();
    }

    @Test
    void floatErfIsWithinAFewFloatUlpEverywhere() {
        for (float x = -5f; x <= 5f; x += 0.001f) {
            double exact = Erf.erf((double) x);
            float fast = Erf.erf(x);
            assertThat((double) fast).as("erf(%s)", x).isCloseTo(exact, within(Math.max(4e-7 * Math.abs(exact), 1e-12)));
        }
        assertThat(Erf.erf(Float.NaN)).isNaN();
        assertThat(Erf.erf(Float.NEGATIVE_INFINITY)).isEqualTo(-1f);
    }

    @Test
    void arrayErfMatchesTheExactErfOnEveryLaneAndTail() {
        // 10 001 points (not a multiple of any vector length, so the scalar tail runs too) and vectors holding NaN,
        // infinities and |x| >= 4 (the lanes the vector path hands to the scalar one).
        int n = 10_001;
        float[] in = new float[n + 3];
        for (int i = 0; i < n; i++) {
            in[i] = -5f + 10f * i / (n - 1);
        }
        in[17] = Float.NaN;
        in[n] = Float.POSITIVE_INFINITY;
        in[n + 1] = Float.NEGATIVE_INFINITY;
        in[n + 2] = 0f;
        float[] out = new float[in.length];
        Erf.floatArrays().apply(in, out, 0, in.length);
        for (int i = 0; i < in.length; i++) {
            if (Float.isNaN(in[i])) {
                assertThat(out[i]).isNaN();
                continue;
            }
            double exact = Erf.erf((double) in[i]);
            // The float-arithmetic vector form adds a few float ulp of rounding to the 1.5e-7 approximation error.
            assertThat((double) out[i]).as("erf(%s)", in[i]).isCloseTo(exact, within(Math.max(6e-7 * Math.abs(exact),
                    1e-12)));
        }
    }
}
