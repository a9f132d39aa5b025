package dev.nnzip.ops;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;

/**
 * What a kernel may use while running: the session's threads, which of the node's input buffers it may reuse for
 * its output, which inputs are model weights, and the session's recycled activation arrays for its outputs.
 */
public final class ExecContext {
    private final Parallel parallel;
    private final ActivationPool pool;
    /** Bit i: input i's buffer dies with this node and nothing else reads it (set by the session before each node). */
    private long overwritable;
    /** Bit i: input i holds a model weight's array (set by the session before each node). */
    private long weightInputs;

    public ExecContext(Parallel parallel) {
        this(parallel, new ActivationPool());
    }

    public ExecContext(Parallel parallel, ActivationPool pool) {
        this.parallel = parallel;
        this.pool = pool;
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

    /**
     * True when input {@code i} holds a model weight's array (an initializer or a Constant, or a view of one): its
     * contents stay the same for as long as the array does. A cache keyed by an input array's identity must ask this
     * first, because activation arrays are recycled ({@link #zeros}) and come back with other contents.
     */
    public boolean isWeight(int i) {
        return i < Long.SIZE && (weightInputs & (1L << i)) != 0;
    }

    /** Sets {@link #isWeight} for the next node (bit i = input i); 0 for none. */
    public void weightInputs(long inputs) {
        weightInputs = inputs;
    }

    /**
     * A zero-filled output tensor; a float one may get a recycled activation array. Call from the thread that runs the
     * node (before forking work), never from a worker.
     */
    public Tensor zeros(DType dtype, int... shape) {
        if (dtype != DType.FLOAT) {
            return Tensor.zeros(dtype, shape);
        }
        return Tensor.wrap(DType.FLOAT, shape, floats(Shapes.size(shape)));
    }

    /** A zero-filled float array for an output, possibly a recycled activation array (see {@link #zeros}). */
    public float[] floats(int n) {
        return pool.zeros(n);
    }

    /**
     * An output tensor whose contents are unspecified (possibly a recycled activation array, not zeroed), for a kernel
     * that writes every element; a non-float one is a zeroed new tensor. Call from the node's thread, as
     * {@link #zeros}.
     */
    public Tensor uninitialized(DType dtype, int... shape) {
        if (dtype != DType.FLOAT) {
            return Tensor.zeros(dtype, shape);
        }
        return Tensor.wrap(DType.FLOAT, shape, pool.uninitialized(Shapes.size(shape)));
    }

    /** A single-threaded context, for tests and tools. */
    public static ExecContext sequential() {
        return new ExecContext(Parallel.sequential());
    }
}
