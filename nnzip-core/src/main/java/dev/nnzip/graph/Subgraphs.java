package dev.nnzip.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Values that a node's subgraphs (If branches, Loop/Scan bodies) read from the enclosing graph. */
public final class Subgraphs {
    private Subgraphs() {
    }

    public static Set<String> outerScopeReads(Node n) {
        Set<String> reads = new HashSet<>();
        for (var a : n.attributes().all()) {
            if (a.value() instanceof Graph g) {
                collectFreeVariables(g, reads);
            } else if (a.value() instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Graph g) {
                        collectFreeVariables(g, reads);
                    }
                }
            }
        }
        return reads;
    }

    private static void collectFreeVariables(Graph g, Set<String> into) {
        Set<String> defined = new HashSet<>(g.weights().keySet());
        g.inputs().forEach(v -> defined.add(v.name()));
        g.nodes().forEach(n -> defined.addAll(n.outputs()));
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    into.add(in);
                }
            }
            Set<String> nested = outerScopeReads(n);
            nested.removeAll(defined);
            into.addAll(nested);
        }
    }
}
