package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Gather (opsets 1, 11, 13): {@code out[a…, j…, b…] = data[a…, indices[j…], b…]} along {@code axis} (default 0).
 * Indices are int32 or int64, may be negative (counted from the end, opset 11+) and of any rank; the output shape is
 * {@code data[:axis] + indices.shape + data[axis+1:]}. Works on every element type: each index copies one inner block.
 */
final class Gather {
    private Gather() {
    }

    static OpKernel create(Node node, int opset) {
        long axisAttr = node.attributes().getInt("axis", 0);
        return (in, ctx) -> {
            Tensor data = Args.required(in, 0, "data");
            Tensor indices = Args.required(in, 1, "indices");
            if (!indices.dtype().isInteger()) {
                throw new IllegalArgumentException("Gather indices must be int32 or int64, got " + indices.dtype());
            }
            int axis = Args.axis(axisAttr, data.rank(), "Gather axis");
            int dim = data.dim(axis);
            long[] raw = indices.longs();
            int[] map = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                map[i] = Args.index(raw[i], dim, "Gather index");
            }
            Tensor gathered = AxisGather.gather(data, axis, map, ctx);
            int[] dataShape = data.shape();
            int[] indShape = indices.shape();
            int[] outShape = new int[dataShape.length - 1 + indShape.length];
            System.arraycopy(dataShape, 0, outShape, 0, axis);
            System.arraycopy(indShape, 0, outShape, axis, indShape.length);
            System.arraycopy(dataShape, axis + 1, outShape, axis + indShape.length, dataShape.length - axis - 1);
            return new Tensor[] {gathered.reshape(outShape)};
        };
    }
}
