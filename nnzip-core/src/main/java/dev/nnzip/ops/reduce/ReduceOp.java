package dev.nnzip.ops.reduce;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.ops.math.HalfPrecision;
import dev.nnzip.ops.math.IntegerTypes;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * The Reduce* ops. Where the axes come from depends on the opset: an {@code axes} attribute until ReduceSum-13 /
 * the others' opset 18, an optional second input from then on. {@code keepdims} (default 1) keeps reduced axes as size
 * 1. Absent or empty axes reduce everything, unless {@code noop_with_empty_axes=1} (input form only), which makes the
 * op an identity.
 */
final class ReduceOp {
    private ReduceOp() {
    }

    static OpKernel create(Reducer reducer, Node node, int opset) {
        int axesInputSince = reducer == Reducer.SUM ? 13 : 18;
        boolean axesFromInput = opset >= axesInputSince;
        boolean keepDims = node.attributes().getInt("keepdims", 1) != 0;
        boolean noopWithEmptyAxes = axesFromInput && node.attributes().getInt("noop_with_empty_axes", 0) != 0;
        long[] attributeAxes = node.attributes().getInts("axes", null);
        String op = reducer.opType();
        if (axesFromInput && attributeAxes != null) {
            throw new IllegalArgumentException(op + " takes axes as its second input from opset " + axesInputSince
                    + ", not as an attribute (model opset " + opset + ")");
        }
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput(op, inputs, 0, "data");
            long[] axes = attributeAxes;
            if (axesFromInput && inputs.length > 1 && inputs[1] != null) {
                axes = inputs[1].toLongArray();
            }
            if ((axes == null || axes.length == 0) && noopWithEmptyAxes) {
                return new Tensor[] {x.copy()};
            }
            boolean[] reduced = reducedAxes(op, axes, x.rank());
            return new Tensor[] {reduce(reducer, x, ReductionPlan.of(x.shape(), reduced, keepDims), ctx)};
        };
    }

    /** Flags of the axes to reduce: all of them for null/empty axes; negative axes count from the end. */
    static boolean[] reducedAxes(String op, long[] axes, int rank) {
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (long a : axes) {
            int axis = Shapes.axis(a, rank);
            if (reduced[axis]) {
                throw new IllegalArgumentException(op + " axes " + Arrays.toString(axes) + " name axis " + axis
                        + " twice");
            }
            reduced[axis] = true;
        }
        return reduced;
    }

    private static Tensor reduce(Reducer reducer, Tensor x, ReductionPlan plan, ExecContext ctx) {
        DType type = x.dtype();
        int k = plan.outCount();
        int r = plan.reduceCount();
        int minChunk = Math.max(1, Elementwise.MIN_CHUNK / Math.max(1, r));
        Object out = switch (x.data()) {
            case float[] in -> {
                float[] o = new float[k];
                ctx.parallel().forRange(k, minChunk, (from, to) -> {
                    float[] group = plan.contiguous() ? in : new float[r];
                    for (int i = from; i < to; i++) {
                        int start = plan.base(i);
                        if (!plan.contiguous()) {
                            for (int j = 0; j < r; j++) {
                                group[j] = in[start + plan.offset(j)];
                            }
                            start = 0;
                        }
                        o[i] = HalfPrecision.fromDouble(type, reducer.reduce(group, start, r));
                    }
                });
                yield o;
            }
            case double[] in -> {
                double[] o = new double[k];
                ctx.parallel().forRange(k, minChunk, (from, to) -> {
                    double[] group = plan.contiguous() ? in : new double[r];
                    for (int i = from; i < to; i++) {
                        int start = plan.base(i);
                        if (!plan.contiguous()) {
                            for (int j = 0; j < r; j++) {
                                group[j] = in[start + plan.offset(j)];
                            }
                            start = 0;
                        }
                        o[i] = reducer.reduce(group, start, r);
                    }
                });
                yield o;
            }
            case long[] in -> {
                long[] o = new long[k];
                ctx.parallel().forRange(k, minChunk, (from, to) -> {
                    long[] group = plan.contiguous() ? in : new long[r];
                    for (int i = from; i < to; i++) {
                        int start = plan.base(i);
                        if (!plan.contiguous()) {
                            for (int j = 0; j < r; j++) {
                                group[j] = in[start + plan.offset(j)];
                            }
                            start = 0;
                        }
                        o[i] = IntegerTypes.wrap(type, reducer.reduce(group, start, r, type));
                    }
                });
                yield o;
            }
            case boolean[] in when reducer == Reducer.MAX || reducer == Reducer.MIN -> {
                // opset 20 allows bool for ReduceMax / ReduceMin with false < true: any / all
                boolean[] o = new boolean[k];
                for (int i = 0; i < k; i++) {
                    boolean acc = reducer == Reducer.MIN;
                    for (int j = 0; j < r; j++) {
                        boolean v = in[plan.base(i) + plan.offset(j)];
                        acc = reducer == Reducer.MAX ? acc | v : acc & v;
                    }
                    o[i] = acc;
                }
                yield o;
            }
            default -> throw new IllegalArgumentException(reducer.opType() + " takes numeric tensors"
                    + (reducer == Reducer.MAX || reducer == Reducer.MIN ? " or bool" : "") + ", got " + type);
        };
        return Tensor.wrap(type, plan.outShape(), out);
    }
}
