package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SoftmaxDivergenceTest {
    @Test
    void logSoftmaxMatchesTheDefinitionAndStaysFiniteForLargeLogits() {
        double[] logP = SoftmaxDivergence.logSoftmax(new float[] {9f, 1f, 2f, 3f}, 1, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(logP).containsExactly(new double[] {1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)},
                within(1e-12));
        double[] big = SoftmaxDivergence.logSoftmax(new float[] {1000f, 1000f}, 0, 2);
        assertThat(big).containsExactly(new double[] {Math.log(0.5), Math.log(0.5)}, within(1e-12));
    }

    @Test
    void divergenceIsZeroForEqualDistributionsAndMatchesAHandComputedValue() {
        double[] p = {Math.log(0.5), Math.log(0.5)};
        double[] q = {Math.log(0.25), Math.log(0.75)};
        assertThat(SoftmaxDivergence.divergence(p, p)).isZero();
        // KL(p || q) = 0.5 ln(0.5 / 0.25) + 0.5 ln(0.5 / 0.75)
        assertThat(SoftmaxDivergence.divergence(p, q))
                .isCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3.0), within(1e-12));
        // Not symmetric: KL(q || p) differs.
        assertThat(SoftmaxDivergence.divergence(q, p))
                .isCloseTo(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), within(1e-12));
    }

    @Test
    void aClassWithZeroOriginalProbabilityContributesNothing() {
        double[] p = {0.0, Double.NEGATIVE_INFINITY};
        double[] q = {Math.log(0.9), Math.log(0.1)};
        assertThat(SoftmaxDivergence.divergence(p, q)).isCloseTo(-Math.log(0.9), within(1e-12));
    }
}
