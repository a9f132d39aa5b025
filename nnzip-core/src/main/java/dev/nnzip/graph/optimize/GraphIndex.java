package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Subgraphs;
import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who produces and who reads each value of a graph, for deciding whether a fusion is safe. Reads include those of
 * control-flow subgraphs (a value an If/Loop body uses from the enclosing scope is a use of that value), and graph
 * outputs count as uses that can never be fused away.
 */
final class GraphIndex {
    private final Graph graph;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> graphInputs = new HashSet<>();

    GraphIndex(Graph graph) {
        this.graph = graph;
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (String o : n.outputs()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    uses.merge(in, 1, Integer::sum);
                }
            }
            for (String in : Subgraphs.outerScopeReads(n)) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        graph.outputs().forEach(v -> graphOutputs.add(v.name()));
        graph.inputs().forEach(v -> graphInputs.add(v.name()));
    }

    Graph graph() {
        return graph;
    }

    /** Index in {@code graph.nodes()} of the node producing {@code value}, or -1. */
    int producerOf(String value) {
        return producer.getOrDefault(value, -1);
    }

    /**
     * True when {@code value} is read by exactly one node input (and no subgraph) and is not a graph output: the node
     * reading it can absorb its producer.
     */
    boolean hasSingleConsumer(String value) {
        return uses.getOrDefault(value, 0) == 1 && !graphOutputs.contains(value);
    }

    /**
     * True when {@code name} is a weight that callers cannot override: a graph input with the same name would make it a
     * default, and folding it would freeze the default.
     */
    boolean isConstant(String name) {
        return !name.isEmpty() && graph.weights().containsKey(name) && !graphInputs.contains(name);
    }

    /** True for a constant float32 weight (the only type folding arithmetic is done in). */
    boolean isFloatConstant(String name) {
        return isConstant(name) && graph.weights().get(name).dtype() == DType.FLOAT;
    }

    /** The shape of a constant, without decoding it. */
    int[] constantShape(String name) {
        return graph.weights().get(name).shape();
    }

    /** Decodes a constant (optimization runs once per model load, so decoding here is a one-time cost). */
    Tensor constant(String name) {
        Weight w = graph.weights().get(name);
        return w.decode();
    }

    /** A weight or value name not used anywhere in the graph, derived from {@code base}. */
    String freshName(String base, Set<String> alsoTaken) {
        String candidate = base;
        for (int i = 1; taken(candidate) || alsoTaken.contains(candidate); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }

    private boolean taken(String name) {
        return graph.weights().containsKey(name) || producer.containsKey(name) || uses.containsKey(name)
                || graphInputs.contains(name) || graphOutputs.contains(name);
    }
}
