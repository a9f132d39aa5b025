package dev.nnzip.runtime.shape;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * What shape inference knows of one value before running: its element type and shape, and, for small values computed
 * from constants and shapes alone (the shape logic of Reshape/Expand/Slice arguments), the value itself.
 *
 * @param value the tensor the value will hold at run time, or null when it depends on the data
 */
public record TensorType(DType dtype, int[] shape, Tensor value) {
    public TensorType {
        shape = shape.clone();
    }

    public static TensorType of(DType dtype, int... shape) {
        return new TensorType(dtype, shape, null);
    }

    /** A value known before running. */
    public static TensorType constant(Tensor value) {
        return new TensorType(value.dtype(), value.shape(), value);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int size() {
        return Shapes.size(shape);
    }

    public boolean isConstant() {
        return value != null;
    }

    /** The same type without the known value. */
    public TensorType withoutValue() {
        return value == null ? this : of(dtype, shape);
    }

    /**
     * Bytes the value's array takes on the heap, as {@link Tensor#heapBytes()} counts them: float16/bfloat16 are held
     * widened in float[], every integer type in long[].
     */
    public long heapBytes() {
        long n = Shapes.size(shape);
        return switch (dtype.storage()) {
            case FLOAT -> 4 * n;
            case DOUBLE, LONG, STRING -> 8 * n;
            case BOOL -> n;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && java.util.Objects.equals(t.value, value);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape) + (value == null ? "" : " (known)");
    }
}
