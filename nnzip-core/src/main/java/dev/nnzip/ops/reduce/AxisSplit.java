package dev.nnzip.ops.reduce;

/**
 * A tensor viewed as {@code [outer, length, inner]} around one axis: element {@code (o, r, i)} sits at
 * {@code (o * length + r) * inner + i}. The shape every "along one axis" op (ArgMax, Softmax, LpNormalization, ...) works
 * on.
 */
public record AxisSplit(int outer, int length, int inner) {
    /** Splits {@code shape} around {@code axis} (already normalized, 0 <= axis < rank). */
    public static AxisSplit around(int[] shape, int axis) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new AxisSplit(outer, shape.length == 0 ? 1 : shape[axis], inner);
    }

    /**
     * The 2-D coercion of the pre-opset-13 Softmax family: {@code [prod(shape[:axis]), prod(shape[axis:])]}, as an
     * {@code [outer, length, 1]} split. {@code axis} may equal the rank (then each row has one element).
     */
    public static AxisSplit flattenedAt(int[] shape, int axis) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int length = 1;
        for (int d = axis; d < shape.length; d++) {
            length *= shape[d];
        }
        return new AxisSplit(outer, length, 1);
    }

    /** Number of 1-D lanes along the axis. */
    public int lanes() {
        return outer * inner;
    }

    /** Offset of the first element of lane {@code lane} (lanes ordered outer-major). */
    public int laneStart(int lane) {
        return (lane / inner) * length * inner + lane % inner;
    }
}
