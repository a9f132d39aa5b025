package dev.nnzip.ops.norm;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.ops.math.HalfPrecision;
import dev.nnzip.ops.reduce.AxisSplit;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;

/**
 * LpNormalization: divides each lane along {@code axis} (default -1) by its L1 or L2 norm ({@code p}, default 2). A lane
 * whose norm is 0 is all zeros and stays zero rather than becoming 0/0 = NaN.
 */
final class LpNormalizationOp {
    private LpNormalizationOp() {
    }

    static OpKernel create(Node node, int opset) {
        long axisAttr = node.attributes().getInt("axis", -1);
        long p = node.attributes().getInt("p", 2);
        if (p != 1 && p != 2) {
            throw new UnsupportedOperatorException("LpNormalization p=" + p + " is not defined; expected 1 or 2");
        }
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("LpNormalization", inputs, 0, "input");
            Elementwise.requireFloatingPoint("LpNormalization", x.dtype());
            AxisSplit split = AxisSplit.around(x.shape(), Shapes.axis(axisAttr, x.rank()));
            int n = split.length();
            int stride = split.inner();
            double[] out = new double[x.size()];
            for (int lane = 0; lane < split.lanes(); lane++) {
                int base = split.laneStart(lane);
                double norm = 0;
                for (int r = 0, i = base; r < n; r++, i += stride) {
                    double v = x.getDouble(i);
                    norm += p == 1 ? Math.abs(v) : v * v;
                }
                norm = p == 1 ? norm : Math.sqrt(norm);
                for (int r = 0, i = base; r < n; r++, i += stride) {
                    out[i] = norm == 0 ? 0 : x.getDouble(i) / norm;
                }
            }
            if (x.dtype() == DType.DOUBLE) {
                return new Tensor[] {Tensor.of(out, x.shape())};
            }
            float[] f = new float[out.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = HalfPrecision.fromDouble(x.dtype(), out[i]);
            }
            return new Tensor[] {Tensor.wrap(x.dtype(), x.shape(), f)};
        };
    }
}
