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

    /**
     * Checks that a value of this element type and shape may be fed as this declared input: the declared type if any,
     * and the declared rank and fixed dimensions (symbolic ones take any size).
     *
     * @throws dev.nnzip.InvalidInputException naming the input, what was given and what is declared
     */
    public void requireAccepts(DType given, int[] givenShape) {
        if (dtype != null && dtype != given) {
            throw new dev.nnzip.InvalidInputException("input '" + name + "' has element type " + given
                    + ", expected " + dtype + " (declared " + this + ")");
        }
        if (shape == null) {
            return;
        }
        boolean ok = shape.size() == givenShape.length;
        for (int i = 0; ok && i < givenShape.length; i++) {
            ok = !shape.get(i).isFixed() || shape.get(i).value() == givenShape[i];
        }
        if (!ok) {
            throw new dev.nnzip.InvalidInputException("input '" + name + "' has shape " + Arrays.toString(givenShape)
                    + ", expected " + shape.stream().map(Dim::toString).collect(java.util.stream.Collectors.joining(
                    ", ", "[", "]")));
        }
    }

    @Override
    public String toString() {
        return name + ": " + (dtype == null ? "?" : dtype) + (shape == null ? "[?]" : shape.toString());
    }
}
