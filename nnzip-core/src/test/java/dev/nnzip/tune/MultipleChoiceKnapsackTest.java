package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipleChoiceKnapsackTest {
    @Test
    void picksTheCheapestCombinationWithinTheBudget() {
        long[][] cost = {{100, 50, 20}, {80, 40, 10}};
        double[][] loss = {{0, 0.04, 0.09}, {0, 0.05, 0.2}};
        // Budget 0.1: {50, 40} costs 90 with loss 0.09; {20, 80} costs 100; {20, 40} loses 0.14.
        assertThat(MultipleChoiceKnapsack.solve(cost, loss, 0.1, 1000)).containsExactly(1, 1);
        // Budget 0.2: {20, 40} (loss 0.14) costs 60.
        assertThat(MultipleChoiceKnapsack.solve(cost, loss, 0.2, 1000)).containsExactly(2, 1);
    }

    @Test
    void negativeLossesCountAsZeroAndInfeasibleReturnsNull() {
        long[][] cost = {{10, 5}};
        double[][] loss = {{0, -0.3}};
        assertThat(MultipleChoiceKnapsack.solve(cost, loss, 0, 10)).containsExactly(1);
        assertThat(MultipleChoiceKnapsack.solve(new long[][] {{1}}, new double[][] {{0.5}}, 0.1, 10)).isNull();
        assertThat(MultipleChoiceKnapsack.solve(new long[][] {{1, 2}}, new double[][] {{Double.POSITIVE_INFINITY, 0}},
                0.1, 10)).containsExactly(1);
    }

    @Test
    void matchesExhaustiveSearchOnRandomInstances() {
        Random r = new Random(42);
        for (int iter = 0; iter < 300; iter++) {
            int items = 1 + r.nextInt(4);
            int options = 1 + r.nextInt(4);
            long[][] cost = new long[items][options];
            double[][] loss = new double[items][options];
            for (int i = 0; i < items; i++) {
                for (int o = 0; o < options; o++) {
                    cost[i][o] = 1 + r.nextInt(100);
                    loss[i][o] = r.nextInt(8) * 0.025; // on the grid, so rounding up loses nothing
                }
            }
            double budget = 0.1;
            int[] got = MultipleChoiceKnapsack.solve(cost, loss, budget, 400);
            long best = exhaustive(cost, loss, budget, new int[items], 0);
            if (best == Long.MAX_VALUE) {
                assertThat(got).isNull();
            } else {
                assertThat(got).isNotNull();
                long c = 0;
                double l = 0;
                for (int i = 0; i < items; i++) {
                    c += cost[i][got[i]];
                    l += loss[i][got[i]];
                }
                assertThat(l).isLessThanOrEqualTo(budget + 1e-9);
                assertThat(c).isEqualTo(best);
            }
        }
    }

    private static long exhaustive(long[][] cost, double[][] loss, double budget, int[] pick, int i) {
        if (i == cost.length) {
            long c = 0;
            double l = 0;
            for (int k = 0; k < pick.length; k++) {
                c += cost[k][pick[k]];
                l += loss[k][pick[k]];
            }
            return l <= budget + 1e-9 ? c : Long.MAX_VALUE;
        }
        long best = Long.MAX_VALUE;
        for (int o = 0; o < cost[i].length; o++) {
            pick[i] = o;
            best = Math.min(best, exhaustive(cost, loss, budget, pick, i + 1));
        }
        return best;
    }
}
