package dev.nnzip.tune;

import java.util.Arrays;

/**
 * Picks one option per item to minimise the total cost under a budget on the total loss, the optimisation DeepSZ
 * solves with dynamic programming: losses are rounded <em>up</em> to a grid of {@code steps} units of the budget (so
 * a choice that fits on the grid fits for real), negative losses (measurement noise: a compressed layer that happened
 * to do better) count as zero.
 */
final class MultipleChoiceKnapsack {
    private MultipleChoiceKnapsack() {
    }

    /**
     * @param cost  {@code cost[item][option]}, e.g. compressed bytes
     * @param loss  {@code loss[item][option]}, e.g. accuracy points lost
     * @return the chosen option per item, or null if even the smallest-loss options exceed the budget
     */
    static int[] solve(long[][] cost, double[][] loss, double budget, int steps) {
        int items = cost.length;
        double unit = budget > 0 ? budget / steps : 1;
        long inf = Long.MAX_VALUE / 4;
        long[][] best = new long[items + 1][steps + 1]; // best[i][u]: min cost of items [0, i) with loss <= u units
        int[][][] pick = new int[items][steps + 1][];
        Arrays.fill(best[0], 0);
        for (int i = 0; i < items; i++) {
            Arrays.fill(best[i + 1], inf);
            pick[i] = new int[steps + 1][];
            for (int u = 0; u <= steps; u++) {
                for (int o = 0; o < cost[i].length; o++) {
                    int units = budget > 0 ? (int) Math.ceil(Math.max(0, loss[i][o]) / unit - 1e-6)
                            : (loss[i][o] > 0 ? steps + 1 : 0);
                    if (units > u || best[i][u - units] >= inf) {
                        continue;
                    }
                    long c = best[i][u - units] + cost[i][o];
                    if (c < best[i + 1][u]) {
                        best[i + 1][u] = c;
                        pick[i][u] = new int[] {o, u - units};
                    }
                }
            }
        }
        if (best[items][steps] >= inf) {
            return null;
        }
        int[] choice = new int[items];
        int u = steps;
        for (int i = items - 1; i >= 0; i--) {
            choice[i] = pick[i][u][0];
            u = pick[i][u][1];
        }
        return choice;
    }
}
