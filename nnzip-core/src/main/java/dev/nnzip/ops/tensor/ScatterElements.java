package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX ScatterElements (opsets 11, 13, 16, 18) and the deprecated Scatter (opsets 9, 10): a copy of {@code data} where,
 * for {@code axis} 0, {@code out[indices[i][j]][j] = updates[i][j]} (combined by {@code reduction}, opset 16+), and so on
 * for other axes. {@code indices} and {@code updates} have the same shape; indices may be negative; updates apply in
 * order.
 */
final class ScatterElements {
    private ScatterElements() {
    }

    static OpKernel create(Node node, int opset) {
        long axisAttr = node.attributes().getInt("axis", 0);
        ScatterReduction reduction = ScatterReduction.parse(node.attributes().getString("reduction", "none"),
                node.opType().equals("Scatter") ? 1 : opset, node.opType());
        return (in, ctx) -> {
            Tensor data = Args.required(in, 0, "data");
            Tensor indices = Args.required(in, 1, "indices");
            Tensor updates = Args.required(in, 2, "updates");
            if (!Arrays.equals(indices.shape(), updates.shape()) || updates.dtype() != data.dtype()) {
                throw new IllegalArgumentException("ScatterElements updates " + updates.dtype()
                        + Arrays.toString(updates.shape()) + " must have the indices' shape "
                        + Arrays.toString(indices.shape()) + " and the data's type " + data.dtype());
            }
            int axis = Args.axis(axisAttr, data.rank(), "ScatterElements axis");
            int[] offsets = ElementOffsets.along(data.shape(), indices, axis, "ScatterElements");
            Tensor out = data.copy();
            for (int i = 0; i < offsets.length; i++) {
                reduction.apply(out.data(), offsets[i], updates.data(), i, 1);
            }
            return new Tensor[] {out};
        };
    }
}
