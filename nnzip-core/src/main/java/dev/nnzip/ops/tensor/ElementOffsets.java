package dev.nnzip.ops.tensor;

import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * The data offsets addressed by an "elements" index tensor (GatherElements, ScatterElements): element {@code p} of
 * {@code indices} addresses {@code data} at position {@code p} with its coordinate along {@code axis} replaced by the
 * index value.
 */
final class ElementOffsets {
    private ElementOffsets() {
    }

    static int[] along(int[] dataShape, Tensor indices, int axis, String op) {
        int rank = dataShape.length;
        int[] ishape = indices.shape();
        if (!indices.dtype().isInteger() || ishape.length != rank) {
            throw new IllegalArgumentException(op + " indices must be an integer tensor of the data's rank " + rank
                    + ", got " + indices.dtype() + Arrays.toString(ishape));
        }
        for (int d = 0; d < rank; d++) {
            if (d != axis && ishape[d] > dataShape[d]) {
                throw new IllegalArgumentException(op + " indices shape " + Arrays.toString(ishape)
                        + " exceeds the data shape " + Arrays.toString(dataShape) + " in dimension " + d);
            }
        }
        int[] strides = StridedCopy.rowMajorStrides(dataShape);
        long[] raw = indices.longs();
        int[] offsets = new int[raw.length];
        int dim = dataShape[axis];
        int axisStride = strides[axis];
        int[] idx = new int[rank];
        int base = 0; // offset of the current position with its axis coordinate left out
        for (int i = 0; i < raw.length; i++) {
            offsets[i] = base + Args.index(raw[i], dim, op + " index") * axisStride;
            for (int d = rank - 1; d >= 0; d--) {
                if (d != axis) {
                    base += strides[d];
                }
                if (++idx[d] < ishape[d]) {
                    break;
                }
                if (d != axis) {
                    base -= strides[d] * ishape[d];
                }
                idx[d] = 0;
            }
        }
        return offsets;
    }
}
