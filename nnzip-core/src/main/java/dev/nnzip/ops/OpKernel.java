package dev.nnzip.ops;

import dev.nnzip.tensor.Tensor;

/**
 * One node, compiled: attributes parsed and validated once at load. {@link #run} gets the node's inputs in order (null
 * for an absent optional input) and returns its outputs in order (null for an output it does not produce).
 *
 * <p>Kernels are shared by every session of a model, so they hold no mutable state, and they never write into their
 * inputs (which may be weights shared across threads).
 */
@FunctionalInterface
public interface OpKernel {
    Tensor[] run(Tensor[] inputs, ExecContext ctx);
}
