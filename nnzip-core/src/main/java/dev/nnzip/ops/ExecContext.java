package dev.nnzip.ops;

import dev.nnzip.kernels.Parallel;

/**
 * What a kernel may use while running: the session's threads, and which of the node's input buffers it may reuse for
 * its output.
 */
public final class ExecContext {
    private final Parallel parallel;
    /** Bit i: input i's buffer dies with this node and nothing else reads it (set by the session before each node). */
    private long overwritable;

    public ExecContext(Parallel parallel) {
        this.parallel = parallel;
    }

    public Parallel parallel() {
        return parallel;
    }

    /**
     * True when the kernel may write its output into input {@code i}'s array (element-wise ops computing in place):
     * the value's last reader is this node, no other live value or other input of this node shares the array, and it
     * is neither a weight nor a caller's input. The kernel must still check that the shape and type fit.
     */
    public boolean mayOverwrite(int i) {
        return i < Long.SIZE && (overwritable & (1L << i)) != 0;
    }

    /** Sets {@link #mayOverwrite} for the next node (bit i = input i); 0 for none. */
    public void overwritable(long inputs) {
        overwritable = inputs;
    }

    /** A single-threaded context, for tests and tools. */
    public static ExecContext sequential() {
        return new ExecContext(Parallel.sequential());
    }
}
