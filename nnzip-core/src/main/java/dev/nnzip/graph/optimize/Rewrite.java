package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Subgraphs;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects node replacements and removals for one pass and builds the new graph: a fused node takes the place of the
 * first node of its pattern, the other nodes of the pattern disappear, new weights are added, and weights that no node
 * (or subgraph, or graph output) reads any more are dropped so they are never decoded.
 */
final class Rewrite {
    private final GraphIndex index;
    private final Map<Integer, List<Node>> replaced = new HashMap<>();
    private final Set<Integer> removed = new HashSet<>();
    private final Map<String, Weight> added = new LinkedHashMap<>();

    Rewrite(GraphIndex index) {
        this.index = index;
    }

    /** True when neither node is part of a rewrite yet (a node joins at most one pattern per pass). */
    boolean free(int... nodes) {
        for (int n : nodes) {
            if (replaced.containsKey(n) || removed.contains(n)) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the pattern {@code nodes} (first node first) by {@code fused}. */
    void fuse(Node fused, int... nodes) {
        replaced.put(nodes[0], List.of(fused));
        for (int i = 1; i < nodes.length; i++) {
            removed.add(nodes[i]);
        }
    }

    /**
     * Replaces node {@code node} by {@code nodes}, in order (none: the node disappears). The caller keeps the graph
     * topologically ordered: each new node's inputs must be produced before {@code node}'s position or by an
     * earlier node of the list.
     */
    void expand(int node, List<Node> nodes) {
        replaced.put(node, List.copyOf(nodes));
    }

    /** Adds a weight under a fresh name derived from {@code base}; returns the name. */
    String addWeight(String base, dev.nnzip.tensor.Tensor value) {
        String name = index.freshName(base, added.keySet());
        added.put(name, Weight.of(name, value));
        return name;
    }

    /** Adds a weight built lazily from its fresh name (a derived weight that decodes on demand); returns the name. */
    String addWeight(String base, java.util.function.Function<String, Weight> factory) {
        String name = index.freshName(base, added.keySet());
        added.put(name, factory.apply(name));
        return name;
    }

    boolean isEmpty() {
        return replaced.isEmpty() && removed.isEmpty();
    }

    Graph build() {
        Graph g = index.graph();
        if (isEmpty()) {
            return g;
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            if (removed.contains(i)) {
                continue;
            }
            nodes.addAll(replaced.getOrDefault(i, List.of(g.nodes().get(i))));
        }
        Set<String> read = new HashSet<>();
        for (Node n : nodes) {
            read.addAll(n.inputs());
            read.addAll(Subgraphs.outerScopeReads(n));
        }
        g.outputs().forEach(v -> read.add(v.name()));
        g.inputs().forEach(v -> read.add(v.name()));
        Map<String, Weight> weights = new LinkedHashMap<>();
        g.weights().forEach((name, w) -> {
            if (read.contains(name)) {
                weights.put(name, w);
            }
        });
        added.forEach(weights::put);
        Map<String, ValueInfo> infos = new LinkedHashMap<>(g.valueInfos());
        Map<String, Integer> opsets = new LinkedHashMap<>(g.opsets());
        if (nodes.stream().anyMatch(n -> n.domain().equals(dev.nnzip.ops.nn.ActivationAttributes.DOMAIN))) {
            opsets.putIfAbsent(dev.nnzip.ops.nn.ActivationAttributes.DOMAIN, 1);
        }
        return new Graph(g.name(), nodes, g.inputs(), g.outputs(), weights, infos, opsets);
    }
}
