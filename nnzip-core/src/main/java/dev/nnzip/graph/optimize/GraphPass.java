package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;

/** One rewrite of a graph. A pass returns the same graph when it finds nothing to do; it never mutates its input. */
interface GraphPass {
    Graph apply(Graph graph);

    /** A short name for logs. */
    String name();
}
