package dev.nnzip.ops.reduce;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.ops.math.IntegerTypes;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;

/**
 * ArgMax and ArgMin: int64 indices of the largest / smallest element along {@code axis} (default 0), keeping the axis
 * as size 1 unless {@code keepdims=0}. Ties go to the first index, or the last with {@code select_last_index=1}
 * (opset 12+). A NaN counts as the extreme value, as numpy.argmax/argmin treat it.
 */
final class ArgReduceOp {
    private ArgReduceOp() {
    }

    static OpKernel create(boolean max, Node node, int opset) {
        String op = max ? "ArgMax" : "ArgMin";
        long axisAttr = node.attributes().getInt("axis", 0);
        boolean keepDims = node.attributes().getInt("keepdims", 1) != 0;
        boolean last = node.attributes().getInt("select_last_index", 0) != 0;
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput(op, inputs, 0, "data");
            int axis = Shapes.axis(axisAttr, x.rank());
            int[] shape = x.shape();
            AxisSplit split = AxisSplit.around(shape, axis);
            if (split.length() == 0) {
                throw new IllegalArgumentException(op + " along axis " + axis + " of an empty dimension has no answer"
                        + " (shape " + Shapes.toString(shape) + ")");
            }
            long[] out = new long[split.lanes()];
            DType type = x.dtype();
            for (int lane = 0; lane < out.length; lane++) {
                int start = split.laneStart(lane);
                int best = 0;
                for (int r = 1; r < split.length(); r++) {
                    int p = preference(x, type, start + r * split.inner(), start + best * split.inner(), max);
                    if (p > 0 || (p == 0 && last)) {
                        best = r;
                    }
                }
                out[lane] = best;
            }
            int[] outShape;
            if (keepDims) {
                outShape = shape.clone();
                outShape[axis] = 1;
            } else {
                outShape = new int[shape.length - 1];
                for (int d = 0, j = 0; d < shape.length; d++) {
                    if (d != axis) {
                        outShape[j++] = shape[d];
                    }
                }
            }
            return new Tensor[] {Tensor.of(out, outShape)};
        };
    }

    /**
     * How much better element {@code candidate} is than element {@code best}: positive, zero (a tie) or negative. A NaN
     * beats any number for both ArgMax and ArgMin (numpy picks the first NaN for both) and ties with another NaN.
     */
    private static int preference(Tensor x, DType type, int candidate, int best, boolean max) {
        int order = switch (x.data()) {
            case long[] l -> IntegerTypes.compare(type, l[candidate], l[best]);
            case boolean[] b -> Boolean.compare(b[candidate], b[best]);
            default -> {
                double a = x.getDouble(candidate);
                double b = x.getDouble(best);
                if (Double.isNaN(a) || Double.isNaN(b)) {
                    yield 0; // decided below, independent of the direction
                }
                yield a == b ? 0 : (a < b ? -1 : 1);
            }
        };
        if (x.dtype().isFloatingPoint()) {
            boolean nanCandidate = Double.isNaN(x.getDouble(candidate));
            boolean nanBest = Double.isNaN(x.getDouble(best));
            if (nanCandidate || nanBest) {
                return nanCandidate == nanBest ? 0 : (nanCandidate ? 1 : -1);
            }
        }
        return max ? order : -order;
    }
}
