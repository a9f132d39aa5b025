package dev.nnzip.ops.tensor;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Reading the small integer inputs and attributes that steer tensor ops (shapes, axes, pads, repeats, ...), with the
 * checks and error messages every op needs. Failures are {@link IllegalArgumentException}s whose message names the
 * argument, the value found and the value expected; the session adds the node's name.
 */
final class Args {
    private Args() {
    }

    /** Input {@code i}, or null when the node omits it (past the end, or the empty name). */
    static Tensor optional(Tensor[] inputs, int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    /** Input {@code i}, failing with the argument's name when absent. */
    static Tensor required(Tensor[] inputs, int i, String name) {
        Tensor t = optional(inputs, i);
        if (t == null) {
            throw new IllegalArgumentException("required input '" + name + "' (input " + i + ") is missing");
        }
        return t;
    }

    /** The elements of an integer tensor of rank 0 or 1 (shapes, axes, pads, repeats). */
    static long[] ints(Tensor t, String name) {
        if (t.rank() > 1) {
            throw new IllegalArgumentException("input '" + name + "' must be a 1-D tensor, got shape "
                    + Arrays.toString(t.shape()));
        }
        if (t.dtype().storage() != DType.Storage.LONG) {
            throw new IllegalArgumentException("input '" + name + "' must be an integer tensor, got " + t.dtype());
        }
        return t.toLongArray();
    }

    /** The single value of a one-element tensor (a scalar or a 1-element vector), as a long. */
    static long scalarInt(Tensor t, String name) {
        if (t.size() != 1) {
            throw new IllegalArgumentException("input '" + name + "' must hold exactly one value, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.getLong(0);
    }

    /** The single value of a one-element tensor, as a double. */
    static double scalar(Tensor t, String name) {
        if (t.size() != 1) {
            throw new IllegalArgumentException("input '" + name + "' must hold exactly one value, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.getDouble(0);
    }

    /**
     * Normalizes axes against {@code rank} (negative axes count from the end, as every op since opset 11 allows) and
     * rejects repeats.
     */
    static int[] axes(long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, what);
            if (seen[out[i]]) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(axes) + " name axis " + out[i]
                        + " twice");
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /** One axis in {@code [-rank, rank-1]}, normalized. */
    static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(what + " " + axis + " is out of range for a rank-" + rank
                    + " tensor, expected [" + (-rank) + ", " + (rank - 1) + "]");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Dimensions given as longs (from a shape input), checked to fit Java's int-indexed arrays. */
    static int[] dims(long[] dims, String what) {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(dims) + " has an invalid dimension "
                        + dims[i]);
            }
            out[i] = (int) dims[i];
        }
        return out;
    }

    /** Product of {@code shape[from..to)}. */
    static int product(int[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return (int) p;
    }

    /** Rejects an index outside {@code [-dim, dim-1]} and wraps negative ones (Gather, GatherND, Scatter*). */
    static int index(long index, int dim, String what) {
        if (index < -dim || index >= dim) {
            throw new IllegalArgumentException(what + " " + index + " is out of range for a dimension of size " + dim
                    + ", expected [" + (-dim) + ", " + (dim - 1) + "]");
        }
        return (int) (index < 0 ? index + dim : index);
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
