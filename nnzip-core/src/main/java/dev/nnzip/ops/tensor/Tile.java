package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Tile (opsets 6, 13): repeats the input {@code repeats[d]} times along each axis {@code d}. Output axis {@code d}
 * of size {@code repeats[d]·dim[d]} is read as the pair of axes {@code (repeats[d], dim[d])} with strides
 * {@code (0, stride[d])}, so the whole op is one strided copy with no index arithmetic per element.
 */
final class Tile {
    private Tile() {
    }

    static OpKernel create(Node node, int opset) {
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "input");
            long[] repeats = Args.ints(Args.required(in, 1, "repeats"), "repeats");
            int rank = x.rank();
            if (repeats.length != rank) {
                throw new IllegalArgumentException("Tile repeats " + Arrays.toString(repeats) + " must have one entry "
                        + "per axis of the input " + Arrays.toString(x.shape()));
            }
            int[] shape = x.shape();
            int[] strides = StridedCopy.rowMajorStrides(shape);
            int[] viewShape = new int[2 * rank];
            int[] viewStrides = new int[2 * rank];
            int[] outShape = new int[rank];
            for (int d = 0; d < rank; d++) {
                if (repeats[d] < 0) {
                    throw new IllegalArgumentException("Tile repeats " + Arrays.toString(repeats) + " must be >= 0");
                }
                viewShape[2 * d] = Math.toIntExact(repeats[d]);
                viewShape[2 * d + 1] = shape[d];
                viewStrides[2 * d + 1] = strides[d];
                outShape[d] = Math.multiplyExact(viewShape[2 * d], shape[d]);
            }
            Tensor out = Tensor.zeros(x.dtype(), outShape);
            StridedCopy.gather(x.data(), 0, viewStrides, out.data(), viewShape, ctx);
            return new Tensor[] {out};
        };
    }
}
