package dev.nnzip.ops;

import dev.nnzip.graph.Node;

/**
 * Compiles a node into a kernel. Throws {@link dev.nnzip.UnsupportedOperatorException} (or IllegalArgumentException,
 * which the registry wraps with the node's name) for attribute values it cannot run, so models fail at load, not mid-run.
 */
@FunctionalInterface
public interface OpFactory {
    OpKernel create(Node node, int opset);
}
