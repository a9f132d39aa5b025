package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX CumSum (opsets 11, 14): running sums along {@code axis} (a scalar int32/int64 input, may be negative).
 * {@code exclusive=1} leaves the current element out of its own sum (so the first output is 0); {@code reverse=1} sums
 * from the end. Floats accumulate in their own precision, as ONNX Runtime does.
 */
final class CumSum {
    private CumSum() {
    }

    static OpKernel create(Node node, int opset) {
        boolean exclusive = node.attributes().getInt("exclusive", 0) != 0;
        boolean reverse = node.attributes().getInt("reverse", 0) != 0;
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "x");
            int axis = Args.axis(Args.scalarInt(Args.required(in, 1, "axis"), "axis"), x.rank(), "CumSum axis");
            int[] shape = x.shape();
            int outer = Args.product(shape, 0, axis);
            int dim = shape[axis];
            int inner = Args.product(shape, axis + 1, shape.length);
            Tensor out = Tensor.zeros(x.dtype(), shape);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int first = o * dim * inner + i;
                    int start = reverse ? first + (dim - 1) * inner : first;
                    int step = reverse ? -inner : inner;
                    scan(x.data(), out.data(), start, step, dim, exclusive);
                }
            }
            return new Tensor[] {out};
        };
    }

    /** One running sum over {@code n} elements from {@code pos}, {@code step} apart. */
    private static void scan(Object src, Object dst, int pos, int step, int n, boolean exclusive) {
        switch (src) {
            case float[] s -> {
                float[] d = (float[]) dst;
                float acc = 0;
                for (int k = 0; k < n; k++, pos += step) {
                    float v = s[pos];
                    if (exclusive) {
                        d[pos] = acc;
                        acc += v;
                    } else {
                        acc += v;
                        d[pos] = acc;
                    }
                }
            }
            case double[] s -> {
                double[] d = (double[]) dst;
                double acc = 0;
                for (int k = 0; k < n; k++, pos += step) {
                    double v = s[pos];
                    if (exclusive) {
                        d[pos] = acc;
                        acc += v;
                    } else {
                        acc += v;
                        d[pos] = acc;
                    }
                }
            }
            case long[] s -> {
                long[] d = (long[]) dst;
                long acc = 0;
                for (int k = 0; k < n; k++, pos += step) {
                    long v = s[pos];
                    if (exclusive) {
                        d[pos] = acc;
                        acc += v;
                    } else {
                        acc += v;
                        d[pos] = acc;
                    }
                }
            }
            default -> throw new IllegalArgumentException("CumSum needs a numeric tensor, got "
                    + src.getClass().getSimpleName());
        }
    }
}
