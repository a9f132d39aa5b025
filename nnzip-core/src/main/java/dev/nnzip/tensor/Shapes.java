package dev.nnzip.tensor;

import java.util.Arrays;

/** Small helpers over shapes ({@code int[]} dimensions, row-major). */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements; fails on overflow past {@link Integer#MAX_VALUE} (Java arrays are int-indexed). */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Same as {@link #size(int[])} for {@code long} dims, used on untrusted sizes before anything is allocated. */
    public static long sizeExact(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Row-major strides in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * Multidirectional (numpy) broadcast of two shapes, as the ONNX spec defines it for Add, Mul, Where, Expand, ...
     *
     * @throws IllegalArgumentException naming both shapes when they are incompatible
     */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
        }
        return out;
    }

    /** Normalizes a possibly negative axis against {@code rank}; the error names the valid range. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank
                    + ", expected [" + (-rank) + ", " + (rank - 1) + "]");
        }
        return (int) a;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
