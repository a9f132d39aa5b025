package dev.nnzip.runtime.shape;

import dev.nnzip.tensor.DType;
import java.util.List;

/**
 * Shape rules of Reduce* and ArgMax/ArgMin. Reduce axes come from the {@code axes} attribute until ReduceSum-13 / the
 * others' opset 18 and from the optional second input after; absent or empty axes reduce every axis unless
 * {@code noop_with_empty_axes=1} (input form only); {@code keepdims} (default 1) keeps reduced axes as 1.
 */
final class ReduceRules {
    private ReduceRules() {
    }

    private static final List<String> REDUCERS = List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    static void register(ShapeRules r) {
        for (String op : REDUCERS) {
            r.register(op, ReduceRules::reduce);
        }
        r.register("ArgMax", ReduceRules::argReduce);
        r.register("ArgMin", ReduceRules::argReduce);
    }

    private static TensorType[] reduce(NodeShapes n) {
        int since = n.node().opType().equals("ReduceSum") ? 13 : 18;
        boolean fromInput = n.opset() >= since;
        long[] axes = fromInput ? n.intsOrNull(1) : n.attributes().getInts("axes", null);
        boolean keepDims = n.attributes().getInt("keepdims", 1) != 0;
        int[] x = n.shape(0);
        if ((axes == null || axes.length == 0)
                && fromInput && n.attributes().getInt("noop_with_empty_axes", 0) != 0) {
            return new TensorType[] {n.input(0).withoutValue()};
        }
        boolean[] reduced = new boolean[x.length];
        if (axes == null || axes.length == 0) {
            java.util.Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[n.axis(a, x.length)] = true;
            }
        }
        return new TensorType[] {TensorType.of(n.dtype(0), reducedShape(x, reduced, keepDims))};
    }

    private static TensorType[] argReduce(NodeShapes n) {
        int[] x = n.shape(0);
        boolean[] reduced = new boolean[x.length];
        reduced[n.axis(n.attributes().getInt("axis", 0), x.length)] = true;
        return new TensorType[] {TensorType.of(DType.INT64,
                reducedShape(x, reduced, n.attributes().getInt("keepdims", 1) != 0))};
    }

    static int[] reducedShape(int[] x, boolean[] reduced, boolean keepDims) {
        int kept = 0;
        for (boolean b : reduced) {
            kept += b ? 0 : 1;
        }
        int[] out = new int[keepDims ? x.length : kept];
        for (int i = 0, j = 0; i < x.length; i++) {
            if (!reduced[i]) {
                out[j++] = x[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return out;
    }
}
