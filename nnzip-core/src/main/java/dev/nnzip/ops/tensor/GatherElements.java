package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX GatherElements (opsets 11, 13): {@code out[i][j][k] = data[indices[i][j][k]][j][k]} for {@code axis} 0, and so
 * on for other axes. The output has the shape of {@code indices}, which has the rank of {@code data}; indices may be
 * negative.
 */
final class GatherElements {
    private GatherElements() {
    }

    static OpKernel create(Node node, int opset) {
        long axisAttr = node.attributes().getInt("axis", 0);
        return (in, ctx) -> {
            Tensor data = Args.required(in, 0, "data");
            Tensor indices = Args.required(in, 1, "indices");
            int axis = Args.axis(axisAttr, data.rank(), "GatherElements axis");
            int[] offsets = ElementOffsets.along(data.shape(), indices, axis, "GatherElements");
            Tensor out = Tensor.zeros(data.dtype(), indices.shape());
            ElementArrays.gather(data.data(), 0, offsets, 0, out.data(), 0, offsets.length);
            return new Tensor[] {out};
        };
    }
}
