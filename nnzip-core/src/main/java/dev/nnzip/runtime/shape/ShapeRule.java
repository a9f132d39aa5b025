package dev.nnzip.runtime.shape;

/**
 * The shape rule of one operator type: the node's output types from its input types (and known small values).
 * Throws {@link ShapeUnknownException} when the shape depends on data, IllegalArgumentException when the inputs do not
 * fit the operator. The returned array is in output order; an entry may be null for an optional output not produced.
 */
@FunctionalInterface
public interface ShapeRule {
    TensorType[] infer(NodeShapes node);
}
