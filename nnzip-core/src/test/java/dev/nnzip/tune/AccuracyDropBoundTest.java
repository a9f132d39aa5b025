package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AccuracyDropBoundTest {
    private static final int RIGHT = AccuracyDropBound.MARGIN_BINS; // stratum offset of correctly classified images

    @Test
    void importanceWeightsAreTheRatioOfStratumShares() {
        // Data: 3 confident right images (stratum RIGHT + 9) and 1 near the boundary (stratum 0, wrong).
        int[] data = {RIGHT + 9, RIGHT + 9, RIGHT + 9, 0};
        // Target: half and half.
        int[] target = {RIGHT + 9, 0};
        double[] w = AccuracyDropBound.importance(data, target);
        // Confident: (1/2) / (3/4) = 2/3; boundary: (1/2) / (1/4) = 2. The weighted shares equal the target's.
        assertThat(w).containsExactly(new double[] {2.0 / 3, 2.0 / 3, 2.0 / 3, 2.0}, within(1e-12));
        assertThat(w[0] + w[1] + w[2]).isCloseTo(w[3], within(1e-12));
    }

    @Test
    void aStratumTheTargetLacksGetsWeightZero() {
        double[] w = AccuracyDropBound.importance(new int[] {RIGHT + 1, RIGHT + 2}, new int[] {RIGHT + 2});
        assertThat(w).containsExactly(0.0, 2.0);
    }
}
