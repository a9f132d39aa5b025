package dev.nnzip.ops.math;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.function.DoublePredicate;

/** IsNaN and IsInf: a bool tensor telling which elements of a floating-point tensor are NaN / infinite. */
final class FloatClassOp {
    private FloatClassOp() {
    }

    static OpKernel isNaN(Node node, int opset) {
        return kernel("IsNaN", Double::isNaN);
    }

    /** IsInf with {@code detect_positive} / {@code detect_negative} (both default 1) choosing which infinities count. */
    static OpKernel isInf(Node node, int opset) {
        boolean positive = node.attributes().getInt("detect_positive", 1) != 0;
        boolean negative = node.attributes().getInt("detect_negative", 1) != 0;
        return kernel("IsInf", v -> (positive && v == Double.POSITIVE_INFINITY)
                || (negative && v == Double.NEGATIVE_INFINITY));
    }

    private static OpKernel kernel(String name, DoublePredicate test) {
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput(name, inputs, 0, "X");
            Elementwise.requireFloatingPoint(name, x.dtype());
            boolean[] out = new boolean[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = test.test(x.getDouble(i));
            }
            return new Tensor[] {Tensor.of(out, x.shape())};
        };
    }
}
