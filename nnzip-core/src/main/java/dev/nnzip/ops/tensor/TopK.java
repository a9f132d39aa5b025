package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.Comparator;

/**
 * ONNX TopK (opsets 1, 10, 11): the {@code k} largest (or, with {@code largest=0}, smallest) elements along {@code axis}
 * (default -1) and their int64 indices. {@code k} is an attribute in opset 1 and a one-element input from opset 10.
 * Equal values keep ascending index order, as the spec requires; NaN counts as larger than every number (Java's total
 * order). Results are always sorted, which {@code sorted=0} permits.
 */
final class TopK {
    private TopK() {
    }

    static OpKernel create(Node node, int opset) {
        var a = node.attributes();
        long axisAttr = a.getInt("axis", -1);
        boolean largest = opset < 11 || a.getInt("largest", 1) != 0;
        long kAttr = opset < 10 ? a.getInt("k", -1) : -1;
        if (opset < 10 && kAttr < 0) {
            throw new IllegalArgumentException("TopK before opset 10 needs the 'k' attribute");
        }
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "X");
            long k = opset < 10 ? kAttr : Args.scalarInt(Args.required(in, 1, "K"), "K");
            int axis = Args.axis(axisAttr, x.rank(), "TopK axis");
            int[] shape = x.shape();
            int dim = shape[axis];
            if (k < 0 || k > dim) {
                throw new IllegalArgumentException("TopK k=" + k + " is outside [0, " + dim + "] for axis " + axis
                        + " of " + Arrays.toString(shape));
            }
            int outer = Args.product(shape, 0, axis);
            int inner = Args.product(shape, axis + 1, shape.length);
            shape[axis] = (int) k;
            Tensor values = Tensor.zeros(x.dtype(), shape);
            long[] indices = new long[values.size()];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int srcBase = o * dim * inner + i;
                    int[] order = order(x.data(), srcBase, inner, dim, largest);
                    int dstBase = o * (int) k * inner + i;
                    for (int j = 0; j < k; j++) {
                        int d = dstBase + j * inner;
                        System.arraycopy(x.data(), srcBase + order[j] * inner, values.data(), d, 1);
                        indices[d] = order[j];
                    }
                }
            }
            return new Tensor[] {values, Tensor.of(indices, shape)};
        };
    }

    /** Positions {@code 0..n-1} of the slice {@code data[base + p·stride]}, best first, ties by position. */
    private static int[] order(Object data, int base, int stride, int n, boolean largest) {
        int[] order = new int[n];
        if (data instanceof float[] f) {
            // pack (value rank, position) into one long so a primitive sort orders by value, then by position
            long[] keys = new long[n];
            for (int p = 0; p < n; p++) {
                int bits = Float.floatToIntBits(f[base + p * stride]);
                int rank = bits ^ ((bits >> 31) & 0x7fffffff); // monotone in the float's value
                keys[p] = ((long) (largest ? ~rank : rank) << 32) | p;
            }
            Arrays.sort(keys);
            for (int p = 0; p < n; p++) {
                order[p] = (int) keys[p];
            }
            return order;
        }
        Integer[] boxed = new Integer[n];
        for (int p = 0; p < n; p++) {
            boxed[p] = p;
        }
        Comparator<Integer> byValue = switch (data) {
            case double[] d -> Comparator.comparingDouble(p -> d[base + p * stride]);
            case long[] l -> Comparator.comparingLong(p -> l[base + p * stride]);
            default -> throw new IllegalArgumentException("TopK needs a numeric tensor, got "
                    + data.getClass().getSimpleName());
        };
        Arrays.sort(boxed, largest ? byValue.reversed() : byValue); // stable: equal values keep position order
        for (int p = 0; p < n; p++) {
            order[p] = boxed[p];
        }
        return order;
    }
}
