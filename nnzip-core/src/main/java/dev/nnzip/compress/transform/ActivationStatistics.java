package dev.nnzip.compress.transform;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Subgraphs;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How strongly each input channel of the weight layers is driven, measured by running the model on calibration inputs:
 * for each activation that feeds a MatMul or Gemm with a weight matrix, the mean of {@code x²} per channel (the last
 * axis, the one the weight's rows are indexed by), over every other axis and every input. What activation-aware scaling
 * ({@link ActivationScalingTransform}) needs: an error in row {@code k} of the weight reaches the layer's output
 * multiplied by {@code x_k}, so its cost is proportional to {@code E[x_k²]}.
 */
public final class ActivationStatistics {
    private ActivationStatistics() {
    }

    /**
     * The activations this class measures: input 0 of every MatMul whose input 1 is a 2-D weight and of every Gemm
     * with {@code transA = 0} whose input 1 is a 2-D weight.
     */
    public static Set<String> layerInputs(Graph graph) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : graph.nodes()) {
            if (ActivationScalingTransform.scalableLayer(n.opType(), n.attributes().getInt("transA", 0))
                    && n.inputs().size() >= 2 && !graph.weights().containsKey(n.input(0))) {
                var w = graph.weights().get(n.input(1));
                if (w != null && w.shape().length == 2) {
                    out.add(n.input(0));
                }
            }
        }
        return out;
    }

    /**
     * The embedding tables among the weights, by name, each with the value holding its row indices: the data of a
     * Gather along axis 0 that is a 2-D float weight read by no other node, with indices that are not a weight. The
     * one-hot view of such a lookup is a MatMul: {@code Gather(E, t) = onehot(t) E}, so row {@code k}'s errors reach the
     * output whenever token {@code k} occurs, and the "activation statistic" {@code E[x_k²]} of the one-hot input is the
     * frequency of index {@code k}.
     */
    public static Map<String, String> tables(Graph graph) {
        Map<String, Integer> reads = new java.util.HashMap<>();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                reads.merge(in, 1, Integer::sum);
            }
            // A control-flow body that reads the table from the enclosing scope would see the scaled rows unscaled.
            for (String in : Subgraphs.outerScopeReads(n)) {
                reads.merge(in, 1, Integer::sum);
            }
        }
        graph.outputs().forEach(o -> reads.merge(o.name(), 1, Integer::sum));
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            if (!n.opType().equals("Gather") || n.inputs().size() != 2 || n.attributes().getInt("axis", 0) != 0) {
                continue;
            }
            var w = graph.weights().get(n.input(0));
            if (w != null && w.shape().length == 2 && w.dtype().storage() == DType.Storage.FLOAT
                    && reads.getOrDefault(w.name(), 0) == 1 && !graph.weights().containsKey(n.input(1))) {
                out.put(w.name(), n.input(1));
            }
        }
        return out;
    }

    /**
     * How often each row of each table of {@code tables} (table name → indices value, as {@link #tables} gives) is
     * looked up over {@code feeds}; negative indices count for the row they address ({@code k + rows}, as Gather reads
     * them).
     *
     * @throws IllegalArgumentException if there are no feeds, or an index is out of its table's range
     */
    public static Map<String, long[]> rowCounts(Graph graph, Map<String, String> tables,
                                                List<Map<String, Tensor>> feeds, int threads) {
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("no calibration inputs to count table lookups on");
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        tables.keySet().forEach(t -> counts.put(t, new long[graph.weights().get(t).shape()[0]]));
        ValueProbe.run(graph, new LinkedHashSet<>(tables.values()), feeds, threads, out ->
                tables.forEach((table, indices) -> {
                    long[] c = counts.get(table);
                    for (long k : out.get(indices).toLongArray()) {
                        long row = k < 0 ? k + c.length : k;
                        if (row < 0 || row >= c.length) {
                            throw new IllegalArgumentException("index " + k + " of '" + indices + "' is outside the "
                                    + c.length + " rows of '" + table + "'");
                        }
                        c[(int) row]++;
                    }
                }));
        return counts;
    }

    /**
     * Mean of {@code x²} per last-axis channel of each value in {@code values}, over {@code feeds} (each one a complete
     * set of model inputs).
     *
     * @throws IllegalArgumentException if there are no feeds, or a value is not a float tensor of rank >= 1
     */
    public static Map<String, double[]> meanSquares(Graph graph, Set<String> values, List<Map<String, Tensor>> feeds,
                                                    int threads) {
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("no calibration inputs to measure activations on");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        ValueProbe.run(graph, values, feeds, threads, out -> {
            for (String v : values) {
                Tensor t = out.get(v);
                if (t == null || t.dtype() != DType.FLOAT || t.rank() < 1) {
                    throw new IllegalArgumentException("activation '" + v + "' is not a float tensor of rank >= 1"
                            + " (got " + (t == null ? "nothing" : t.dtype() + java.util.Arrays.toString(t.shape()))
                            + "); it cannot be measured per channel");
                }
                int channels = t.dim(t.rank() - 1);
                double[] sum = sums.computeIfAbsent(v, k -> new double[channels]);
                if (sum.length != channels) {
                    throw new IllegalArgumentException("activation '" + v + "' has " + channels + " channels in one"
                            + " calibration input and " + sum.length + " in another");
                }
                float[] x = t.floats();
                for (int i = 0; i < x.length; i++) {
                    sum[i % channels] += (double) x[i] * x[i];
                }
                counts.merge(v, (long) (x.length / Math.max(1, channels)), Long::sum);
            }
        });
        return means(sums, counts);
    }

    /** {@code sums[v][i] / counts[v]} for every value v (a count of 0 divides by 1): sums of observations to means. */
    public static Map<String, double[]> means(Map<String, double[]> sums, Map<String, Long> counts) {
        Map<String, double[]> out = new LinkedHashMap<>();
        sums.forEach((v, sum) -> {
            double n = Math.max(1, counts.getOrDefault(v, 0L));
            double[] mean = new double[sum.length];
            for (int k = 0; k < sum.length; k++) {
                mean[k] = sum[k] / n;
            }
            out.put(v, mean);
        });
        return out;
    }
}
