package dev.nnzip.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major tensor held in one Java array (see {@link DType.Storage} for which array).
 *
 * <p>The shape is fixed; the data array is exposed without copying because kernels read and write it in place. A tensor
 * handed to a caller by a session is the caller's: the engine keeps no reference to it.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private Tensor(DType dtype, int[] shape, Object data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.data = data;
        int expected = Shapes.size(shape);
        int actual = lengthOf(data);
        if (expected != actual) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + expected
                    + " elements but the " + dtype + " data has " + actual);
        }
    }

    private static int lengthOf(Object data) {
        return switch (data) {
            case float[] f -> f.length;
            case double[] d -> d.length;
            case long[] l -> l.length;
            case boolean[] b -> b.length;
            case String[] s -> s.length;
            default -> throw new IllegalArgumentException("unsupported tensor storage " + data.getClass());
        };
    }

    // ---- factories ------------------------------------------------------------------------------------------------

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(DType.FLOAT, shape, data);
    }

    public static Tensor of(long[] data, int... shape) {
        return new Tensor(DType.INT64, shape, data);
    }

    public static Tensor of(boolean[] data, int... shape) {
        return new Tensor(DType.BOOL, shape, data);
    }

    public static Tensor of(double[] data, int... shape) {
        return new Tensor(DType.DOUBLE, shape, data);
    }

    /** Wraps an array of the storage kind that {@code dtype} uses. */
    public static Tensor wrap(DType dtype, int[] shape, Object data) {
        Object checked = switch (dtype.storage()) {
            case FLOAT -> (float[]) data;
            case DOUBLE -> (double[]) data;
            case LONG -> (long[]) data;
            case BOOL -> (boolean[]) data;
            case STRING -> (String[]) data;
        };
        return new Tensor(dtype, shape, checked);
    }

    /** A zero-filled tensor. */
    public static Tensor zeros(DType dtype, int... shape) {
        int n = Shapes.size(shape);
        Object data = switch (dtype.storage()) {
            case FLOAT -> new float[n];
            case DOUBLE -> new double[n];
            case LONG -> new long[n];
            case BOOL -> new boolean[n];
            case STRING -> filledStrings(n);
        };
        return new Tensor(dtype, shape, data);
    }

    private static String[] filledStrings(int n) {
        String[] s = new String[n];
        Arrays.fill(s, "");
        return s;
    }

    public static Tensor scalar(float v) {
        return of(new float[] {v});
    }

    public static Tensor scalar(long v) {
        return of(new long[] {v});
    }

    /** A 1-D int64 tensor, the usual form of shapes, axes and indices. */
    public static Tensor vector(long... v) {
        return of(v, v.length);
    }

    // ---- accessors ------------------------------------------------------------------------------------------------

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return lengthOf(data);
    }

    /** Bytes this tensor occupies on the Java heap (its data array, not the object header). */
    public long heapBytes() {
        return switch (data) {
            case float[] f -> 4L * f.length;
            case double[] d -> 8L * d.length;
            case long[] l -> 8L * l.length;
            case boolean[] b -> b.length;
            case String[] s -> 8L * s.length;
            default -> 0;
        };
    }

    public float[] floats() {
        if (data instanceof float[] f) {
            return f;
        }
        throw wrongStorage("float32");
    }

    public double[] doubles() {
        if (data instanceof double[] d) {
            return d;
        }
        throw wrongStorage("float64");
    }

    public long[] longs() {
        if (data instanceof long[] l) {
            return l;
        }
        throw wrongStorage("integer");
    }

    public boolean[] booleans() {
        if (data instanceof boolean[] b) {
            return b;
        }
        throw wrongStorage("bool");
    }

    public String[] strings() {
        if (data instanceof String[] s) {
            return s;
        }
        throw wrongStorage("string");
    }

    /** The raw storage array; prefer the typed accessors. */
    public Object data() {
        return data;
    }

    /** Element {@code i} as a double, whatever the storage (for shape logic, tests and printing). */
    public double getDouble(int i) {
        return switch (data) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case long[] l -> l[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw wrongStorage("numeric");
        };
    }

    /** Element {@code i} as a long (floats truncated toward zero). */
    public long getLong(int i) {
        return switch (data) {
            case long[] l -> l[i];
            case float[] f -> (long) f[i];
            case double[] d -> (long) d[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw wrongStorage("numeric");
        };
    }

    /** All elements as longs: the usual way an op reads a shape, axes or pads input. */
    public long[] toLongArray() {
        if (data instanceof long[] l) {
            return l.clone();
        }
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** Same data, new shape of the same size (no copy). */
    public Tensor reshape(int... newShape) {
        return new Tensor(dtype, newShape, data);
    }

    /** Same data reinterpreted under another dtype of the same storage (e.g. INT32 view of a long[]). */
    public Tensor withDType(DType newType) {
        if (newType.storage() != dtype.storage()) {
            throw new IllegalArgumentException("cannot view " + dtype + " as " + newType + " without a cast");
        }
        return new Tensor(newType, shape, data);
    }

    public Tensor copy() {
        Object c = switch (data) {
            case float[] f -> f.clone();
            case double[] d -> d.clone();
            case long[] l -> l.clone();
            case boolean[] b -> b.clone();
            case String[] s -> s.clone();
            default -> throw wrongStorage("any");
        };
        return new Tensor(dtype, shape, c);
    }

    private IllegalStateException wrongStorage(String wanted) {
        return new IllegalStateException("expected a " + wanted + " tensor but this one is " + dtype
                + Arrays.toString(shape));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(dtype).append(Arrays.toString(shape));
        int n = Math.min(size(), 8);
        sb.append(" {");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(dtype.storage() == DType.Storage.STRING ? strings()[i] : getDouble(i));
        }
        return sb.append(size() > n ? ", ...}" : "}").toString();
    }
}
