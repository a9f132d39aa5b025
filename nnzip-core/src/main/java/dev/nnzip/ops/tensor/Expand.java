package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Expand (opsets 8, 13): broadcasts the input against {@code shape} with numpy's bidirectional rules, so the output
 * shape is {@code broadcast(input.shape, shape)} (a 1 in {@code shape} keeps the input's dimension). The copy reads
 * broadcast axes with stride 0.
 */
final class Expand {
    private Expand() {
    }

    static OpKernel create(Node node, int opset) {
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "input");
            int[] target = Args.dims(Args.ints(Args.required(in, 1, "shape"), "shape"), "Expand shape");
            int[] inShape = x.shape();
            int[] outShape = Shapes.broadcast(inShape, target);
            int[] inStrides = StridedCopy.rowMajorStrides(inShape);
            int[] srcStrides = new int[outShape.length];
            int lead = outShape.length - inShape.length;
            for (int d = 0; d < inShape.length; d++) {
                srcStrides[lead + d] = inShape[d] == 1 ? 0 : inStrides[d];
            }
            Tensor out = Tensor.zeros(x.dtype(), outShape);
            StridedCopy.gather(x.data(), 0, srcStrides, out.data(), outShape, ctx);
            return new Tensor[] {out};
        };
    }
}
