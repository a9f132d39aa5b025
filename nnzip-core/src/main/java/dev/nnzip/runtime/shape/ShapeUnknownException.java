package dev.nnzip.runtime.shape;

/**
 * A node's output shape cannot be known before running: it depends on tensor data (NonZero, a Reshape target computed
 * from an input's values) or on an operator without a shape rule. The message says which and why.
 */
public final class ShapeUnknownException extends RuntimeException {
    public ShapeUnknownException(String message) {
        super(message);
    }
}
