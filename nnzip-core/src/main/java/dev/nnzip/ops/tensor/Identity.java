package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Identity (opsets 1, 13, 14, 16, 19, 21): the input tensor itself. Kernels never write into their inputs, so
 * handing the same tensor on is safe and costs nothing.
 */
final class Identity {
    private Identity() {
    }

    static OpKernel create(Node node, int opset) {
        return (in, ctx) -> new Tensor[] {Args.required(in, 0, "input")};
    }
}
