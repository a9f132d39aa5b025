package dev.nnzip.graph;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a graph is made of: operator histogram, weight count, parameter count and decoded weight bytes (counted from
 * shapes, without decoding anything).
 */
public record GraphSummary(int nodes, Map<String, Integer> operators, int weights, long parameters, long weightBytes) {
    public static GraphSummary of(Graph g) {
        Map<String, Integer> ops = new TreeMap<>();
        for (Node n : g.nodes()) {
            ops.merge((n.domain().isEmpty() ? "" : n.domain() + ".") + n.opType(), 1, Integer::sum);
        }
        long params = 0;
        for (Weight w : g.weights().values()) {
            long n = 1;
            for (int d : w.shape()) {
                n *= d;
            }
            params += n;
        }
        return new GraphSummary(g.nodes().size(), ops, g.weights().size(), params, g.decodedWeightBytes());
    }
}
