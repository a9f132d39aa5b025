package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    @Test
    void withinOneUlpOfMathExpAndExactAtTheEdges() {
        assumeTrue(KernelSupport.vectorEnabled(), "jdk.incubator.vector not present");
        var s = FloatVector.SPECIES_PREFERRED;
        int l = s.length();
        float[] x = new float[l];
        float[] y = new float[l];
        SplittableRandom r = new SplittableRandom(9);
        double worst = 0;
        for (int it = 0; it < 200_000; it++) {
            for (int i = 0; i < l; i++) {
                x[i] = (float) r.nextDouble(-87.3, 88.7);
            }
            VectorExp.exp(FloatVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < l; i++) {
                double exact = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
            }
        }
        assertThat(worst).as("max error in ulp").isLessThanOrEqualTo(2.0);
        float[] edges = {0f, -0f, 1f, Float.NaN, 89f, Float.POSITIVE_INFINITY, -88f, Float.NEGATIVE_INFINITY};
        float[] in = new float[l];
        for (int i = 0; i < l; i++) {
            in[i] = edges[i % edges.length];
        }
        VectorExp.exp(FloatVector.fromArray(s, in, 0)).intoArray(y, 0);
        for (int i = 0; i < l; i++) {
            float e = in[i];
            if (Float.isNaN(e)) {
                assertThat(y[i]).isNaN();
            } else if (e > 88.73f) {
                assertThat(y[i]).isEqualTo(Float.POSITIVE_INFINITY);
            } else if (e < -87.34f) {
                assertThat(y[i]).isZero();
            } else {
                assertThat(y[i]).isEqualTo((float) Math.exp(e));
            }
        }
    }
}
