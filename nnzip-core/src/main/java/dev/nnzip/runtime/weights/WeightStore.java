package dev.nnzip.runtime.weights;

import dev.nnzip.tensor.Tensor;

/**
 * The one place that decides when decoded weights exist (DESIGN.md). A session asks for a weight just before a node
 * reads it and gives it back after the weight's last reader in the run; what happens in between is the mode's business.
 * A store is per session (its decode buffers are never shared between threads); stores of one model share that model's
 * {@link WeightAccounting} and, for {@code eager} and {@code budget}, its decoded tensors.
 */
public interface WeightStore extends AutoCloseable {
    /** The decoded weight {@code index}; valid until {@link #release}. */
    Tensor acquire(int index);

    /** The caller is done with weight {@code index} for this run. */
    void release(int index);

    /**
     * A hint: these weights will be acquired next (the next node's). Prefetching stores start decoding them in the
     * background; others ignore it.
     */
    default void upcoming(int[] indices) {
    }

    /**
     * True when this store decodes on a thread of its own while the session computes: the session then leaves that
     * thread a core instead of keeping its kernel workers spinning between forks.
     */
    default boolean decodesInBackground() {
        return false;
    }

    @Override
    default void close() {
    }
}
