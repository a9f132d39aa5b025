package dev.nnzip.ops.math;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * PRelu: {@code x < 0 ? slope * x : x} with the slope broadcast to X (unidirectionally from opset 7, so the output
 * always has X's shape). Before opset 7 a slope of shape [C] applied per channel of an NCHW input; that case is mapped to
 * the numpy form by giving the slope trailing 1s.
 */
final class PReluOp {
    private static final BinaryOp PRELU = BinaryOp.numeric("PRelu",
            FloatKernels.of((x, s) -> x < 0 ? s * x : x), (x, s) -> x < 0 ? s * x : x,
            t -> (x, s) -> x < 0 ? s * x : x);

    private PReluOp() {
    }

    static OpKernel create(Node node, int opset) {
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("PRelu", inputs, 0, "X");
            Tensor slope = Elementwise.requireInput("PRelu", inputs, 1, "slope");
            Elementwise.requireSameType("PRelu", x, slope);
            if (opset < 7 && slope.rank() == 1 && x.rank() > 2 && slope.dim(0) == x.dim(1) && slope.dim(0) != 1) {
                slope = slope.reshape(Arithmetic.alignLegacy(x.rank(), slope.shape(), 1));
            }
            Broadcast plan;
            try {
                plan = Broadcast.to(x.shape(), x.shape(), slope.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PRelu slope " + Arrays.toString(slope.shape())
                        + " does not broadcast to X " + Arrays.toString(x.shape()), e);
            }
            return new Tensor[] {PRELU.apply(x, slope, plan, ctx.parallel())};
        };
    }
}
