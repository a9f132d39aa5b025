package dev.nnzip.ops.norm;

import dev.nnzip.kernels.KernelSupport;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.ops.math.HalfPrecision;
import dev.nnzip.ops.reduce.AxisSplit;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;

/**
 * Softmax and LogSoftmax.
 *
 * <p>Before opset 13 the input is coerced to 2-D at {@code axis} (default 1): {@code [prod(dims[:axis]),
 * prod(dims[axis:])]}, normalizing each row. From opset 13 the normalization runs along the single axis {@code axis}
 * (default -1). Either way each lane is shifted by its maximum before exponentiating, so large inputs do not overflow:
 * {@code softmax(x) = e^(x-m) / sum e^(x-m)}, {@code logsoftmax(x) = (x-m) - log(sum e^(x-m))}.
 */
final class SoftmaxOp {
    private SoftmaxOp() {
    }

    static OpKernel create(boolean log, Node node, int opset) {
        boolean legacy = opset < 13;
        long axisAttr = node.attributes().getInt("axis", legacy ? 1 : -1);
        String op = log ? "LogSoftmax" : "Softmax";
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput(op, inputs, 0, "input");
            Elementwise.requireFloatingPoint(op, x.dtype());
            int[] shape = x.shape();
            int axis = Shapes.axis(axisAttr, x.rank());
            AxisSplit split = legacy ? AxisSplit.flattenedAt(shape, axis) : AxisSplit.around(shape, axis);
            Tensor out;
            if (x.dtype() == DType.DOUBLE) {
                double[] o = new double[x.size()];
                forEachLane(split, ctx.parallel(), (from, to) -> lanes(x.doubles(), o, split, from, to, log));
                out = Tensor.of(o, shape);
            } else {
                float[] o = ctx.floats(x.size());
                float[] in = x.floats();
                forEachLane(split, ctx.parallel(), (from, to) -> lanes(in, o, split, from, to, log));
                HalfPrecision.roundInPlace(x.dtype(), o);
                out = Tensor.wrap(x.dtype(), shape, o);
            }
            return new Tensor[] {out};
        };
    }

    private static void forEachLane(AxisSplit split, Parallel parallel, Parallel.RangeBody body) {
        int minChunk = Math.max(1, Elementwise.MIN_CHUNK_TRANSCENDENTAL / Math.max(1, split.length()));
        parallel.forRange(split.lanes(), minChunk, body);
    }

    /** Lanes {@code [from, to)} of a float tensor. */
    private static void lanes(float[] x, float[] out, AxisSplit split, int from, int to, boolean log) {
        int n = split.length();
        int stride = split.inner();
        if (stride == 1 && !log && KernelSupport.vectorEnabled()) { // the common last-axis softmax
            for (int lane = from; lane < to; lane++) {
                VectorSoftmax.lane(x, out, split.laneStart(lane), n);
            }
            return;
        }
        for (int lane = from; lane < to; lane++) {
            int base = split.laneStart(lane);
            int end = base + n * stride;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = base; i < end; i += stride) {
                max = Math.max(max, x[i]);
            }
            double sum = 0;
            for (int i = base; i < end; i += stride) {
                float e = (float) Math.exp(x[i] - max);
                out[i] = e;
                sum += e;
            }
            if (log) {
                float logSum = (float) Math.log(sum);
                for (int i = base; i < end; i += stride) {
                    out[i] = (x[i] - max) - logSum;
                }
            } else {
                float inv = (float) (1 / sum);
                for (int i = base; i < end; i += stride) {
                    out[i] *= inv;
                }
            }
        }
    }

    /** Lanes {@code [from, to)} of a double tensor. */
    private static void lanes(double[] x, double[] out, AxisSplit split, int from, int to, boolean log) {
        int n = split.length();
        int stride = split.inner();
        for (int lane = from; lane < to; lane++) {
            int base = split.laneStart(lane);
            int end = base + n * stride;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = base; i < end; i += stride) {
                max = Math.max(max, x[i]);
            }
            double sum = 0;
            for (int i = base; i < end; i += stride) {
                double e = Math.exp(x[i] - max);
                out[i] = e;
                sum += e;
            }
            double logSum = Math.log(sum);
            for (int i = base; i < end; i += stride) {
                out[i] = log ? (x[i] - max) - logSum : out[i] / sum;
            }
        }
    }
}
