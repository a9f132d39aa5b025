package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Flatten (opsets 1, 9, 11, 13, 21): {@code [d0..dn]} to {@code [d0·…·d(axis-1), d(axis)·…·dn]}, sharing the data.
 * {@code axis} (default 1) may be in {@code [-r, r]}; axis 0 gives {@code [1, size]}.
 */
final class Flatten {
    private Flatten() {
    }

    static OpKernel create(Node node, int opset) {
        long axis = node.attributes().getInt("axis", 1);
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "input");
            int r = x.rank();
            if (axis < -r || axis > r) {
                throw new IllegalArgumentException("Flatten axis " + axis + " is out of range for a rank-" + r
                        + " input " + Args.str(x.shape()) + ", expected [" + (-r) + ", " + r + "]");
            }
            int a = (int) (axis < 0 ? axis + r : axis);
            int[] shape = x.shape();
            return new Tensor[] {x.reshape(Args.product(shape, 0, a), Args.product(shape, a, r))};
        };
    }
}
