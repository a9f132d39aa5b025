package dev.nnzip.ops.math;

import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/** And, Or, Xor (broadcasting, bool → bool) and Not. */
final class LogicalOps {
    private LogicalOps() {
    }

    static final BinaryOp AND = BinaryOp.logical("And", (a, b) -> a & b);
    static final BinaryOp OR = BinaryOp.logical("Or", (a, b) -> a | b);
    static final BinaryOp XOR = BinaryOp.logical("Xor", (a, b) -> a ^ b);

    static OpKernel binary(BinaryOp op) {
        return (inputs, ctx) -> new Tensor[] {op.apply(Elementwise.requireInput(op.name(), inputs, 0, "A"),
                Elementwise.requireInput(op.name(), inputs, 1, "B"), ctx.parallel())};
    }

    static OpKernel not() {
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("Not", inputs, 0, "X");
            if (x.dtype() != DType.BOOL) {
                throw new IllegalArgumentException("Not takes a bool tensor, got " + x.dtype());
            }
            boolean[] in = x.booleans();
            boolean[] out = new boolean[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = !in[i];
            }
            return new Tensor[] {Tensor.of(out, x.shape())};
        };
    }
}
