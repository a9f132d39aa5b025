package dev.nnzip.runtime.shape;

import dev.nnzip.graph.Node;
import java.util.Map;
import java.util.Optional;

/**
 * The result of {@link ShapeInference}: the type of every value it could determine and, if some could not be, the
 * first node that stopped it and why (every value computed from that node's outputs is unknown too).
 */
public final class InferredShapes {
    private final Map<String, TensorType> types;
    private final Node unknownAt;
    private final String reason;

    InferredShapes(Map<String, TensorType> types, Node unknownAt, String reason) {
        this.types = Map.copyOf(types);
        this.unknownAt = unknownAt;
        this.reason = reason;
    }

    /** The type of value {@code name} (graph input, weight or node output), if known before running. */
    public Optional<TensorType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** True when every node's outputs were determined. */
    public boolean complete() {
        return unknownAt == null;
    }

    /** The first node whose output shape could not be determined. */
    public Optional<Node> unknownAt() {
        return Optional.ofNullable(unknownAt);
    }

    /** Why the shapes are incomplete ("" when complete). */
    public String reason() {
        return reason == null ? "" : reason;
    }
}
