package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX OneHot (opsets 9, 11): inserts an axis of length {@code depth} at {@code axis} (default -1, normalized against
 * the output rank) holding {@code values[1]} where the coordinate equals the index and {@code values[0]} elsewhere.
 * Indices of any numeric type are truncated to integers; from opset 11 negative indices count back from {@code depth};
 * indices out of range give an all-off row.
 */
final class OneHot {
    private OneHot() {
    }

    static OpKernel create(Node node, int opset) {
        long axisAttr = node.attributes().getInt("axis", -1);
        boolean negativeWraps = opset >= 11;
        return (in, ctx) -> {
            Tensor indices = Args.required(in, 0, "indices");
            long depthL = (long) Args.scalar(Args.required(in, 1, "depth"), "depth");
            Tensor values = Args.required(in, 2, "values");
            if (values.size() != 2) {
                throw new IllegalArgumentException("OneHot values must be [off_value, on_value], got shape "
                        + Arrays.toString(values.shape()));
            }
            if (depthL < 1 || depthL > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("OneHot depth " + depthL + " must be positive");
            }
            int depth = (int) depthL;
            int[] ishape = indices.shape();
            int outRank = ishape.length + 1;
            int axis = Args.axis(axisAttr, outRank, "OneHot axis");
            int[] outShape = new int[outRank];
            for (int d = 0, k = 0; d < outRank; d++) {
                outShape[d] = d == axis ? depth : ishape[k++];
            }
            Tensor out = Tensor.zeros(values.dtype(), outShape);
            ElementArrays.fill(out.data(), 0, out.size(), values, 0);
            int outer = Args.product(ishape, 0, axis);
            int inner = Args.product(ishape, axis, ishape.length);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    long idx = indices.getLong(o * inner + i);
                    if (idx < 0 && negativeWraps) {
                        idx += depth;
                    }
                    if (idx >= 0 && idx < depth) {
                        int pos = (o * depth + (int) idx) * inner + i;
                        System.arraycopy(values.data(), 1, out.data(), pos, 1);
                    }
                }
            }
            return new Tensor[] {out};
        };
    }
}
