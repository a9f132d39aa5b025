package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/** ONNX Size (opsets 1, 13, 19, 21): the input's element count as an int64 scalar. */
final class SizeOf {
    private SizeOf() {
    }

    static OpKernel create(Node node, int opset) {
        return (in, ctx) -> new Tensor[] {Tensor.of(new long[] {Args.required(in, 0, "data").size()})};
    }
}
