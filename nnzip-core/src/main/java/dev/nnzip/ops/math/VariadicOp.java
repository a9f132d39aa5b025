package dev.nnzip.ops.math;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/**
 * Sum, Mean, Max and Min: one to N inputs, broadcast together (opset 8+; the opset-6 forms, which required equal shapes,
 * are a special case). The result is the left fold of the binary op, which for these associative-in-shape ops equals
 * broadcasting all inputs at once.
 */
final class VariadicOp {
    private VariadicOp() {
    }

    static OpKernel fold(BinaryOp op) {
        return (inputs, ctx) -> new Tensor[] {fold(op, inputs, ctx.parallel())};
    }

    private static Tensor fold(BinaryOp op, Tensor[] inputs, Parallel parallel) {
        Tensor acc = null;
        boolean computed = false;
        for (Tensor t : inputs) {
            if (t == null) {
                continue;
            }
            if (acc == null) {
                acc = t;
            } else {
                acc = op.apply(acc, t, parallel);
                computed = true;
            }
        }
        if (acc == null) {
            throw new IllegalArgumentException(op.name() + " needs at least one input");
        }
        return computed ? acc : acc.copy(); // never hand an input (maybe a shared weight) out as the output
    }

    /** Mean = Sum / N, divided (not multiplied by 1/N) so a mean of equal values is exactly that value. */
    static OpKernel mean() {
        return (inputs, ctx) -> {
            Tensor sum = fold(Arithmetic.ADD, inputs, ctx.parallel());
            int count = 0;
            for (Tensor t : inputs) {
                count += t == null ? 0 : 1;
            }
            DType type = sum.dtype();
            Elementwise.requireFloatingPoint("Mean", type);
            if (type == DType.DOUBLE) {
                double[] d = sum.doubles();
                for (int i = 0; i < d.length; i++) {
                    d[i] /= count;
                }
            } else {
                float[] f = sum.floats();
                for (int i = 0; i < f.length; i++) {
                    f[i] = HalfPrecision.round(type, f[i] / count);
                }
            }
            return new Tensor[] {sum};
        };
    }
}
