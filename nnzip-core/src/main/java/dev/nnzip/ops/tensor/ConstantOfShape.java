package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX ConstantOfShape (opsets 9, 20, 21): a tensor of the shape given by the int64 input, every element equal to the
 * one-element {@code value} attribute (default float32 0), of that attribute's type. An empty shape gives a scalar.
 */
final class ConstantOfShape {
    private ConstantOfShape() {
    }

    static OpKernel create(Node node, int opset) {
        Tensor attr = node.attributes().getTensor("value");
        Tensor value = attr == null ? Tensor.zeros(DType.FLOAT) : attr;
        if (value.size() != 1) {
            throw new IllegalArgumentException("ConstantOfShape 'value' must hold one element, got "
                    + value.dtype() + Args.str(value.shape()));
        }
        return (in, ctx) -> {
            int[] shape = Args.dims(Args.ints(Args.required(in, 0, "input"), "input"), "ConstantOfShape shape");
            Tensor out = Tensor.zeros(value.dtype(), shape);
            ElementArrays.fill(out.data(), 0, out.size(), value, 0);
            return new Tensor[] {out};
        };
    }
}
