package dev.nnzip.graph;

import dev.nnzip.tensor.DType;
import java.util.Arrays;
import java.util.List;

/**
 * A named graph input or output with its declared element type and shape. {@code shape} is null when the model declares
 * no shape at all (rank unknown); {@code dtype} is null when the model declares no type.
 */
public record ValueInfo(String name, DType dtype, List<Dim> shape) {
    public ValueInfo {
        shape = shape == null ? null : List.copyOf(shape);
    }

    public static ValueInfo of(String name, DType dtype, long... dims) {
        return new ValueInfo(name, dtype, Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    public boolean hasShape() {
        return shape != null;
    }

    @Override
    public String toString() {
        return name + ": " + (dtype == null ? "?" : dtype) + (shape == null ? "[?]" : shape.toString());
    }
}
