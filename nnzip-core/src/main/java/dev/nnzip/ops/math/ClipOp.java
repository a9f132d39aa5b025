package dev.nnzip.ops.math;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Clip: {@code min(max(x, lo), hi)}. Before opset 11 the bounds are float attributes {@code min}/{@code max}; from 11
 * they are optional scalar inputs of the input's type (integer types from opset 12). Absent bounds are unbounded. As
 * the spec says, if lo &gt; hi every value becomes hi; NaN inputs stay NaN.
 */
final class ClipOp {
    private ClipOp() {
    }

    static OpKernel create(Node node, int opset) {
        if (opset < 11) {
            float lo = node.attributes().getFloat("min", Float.NEGATIVE_INFINITY);
            float hi = node.attributes().getFloat("max", Float.POSITIVE_INFINITY);
            return (inputs, ctx) -> {
                Tensor x = Elementwise.requireInput("Clip", inputs, 0, "input");
                return new Tensor[] {clip(x, Tensor.scalar(lo), Tensor.scalar(hi), ctx)};
            };
        }
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("Clip", inputs, 0, "input");
            Tensor lo = inputs.length > 1 ? inputs[1] : null;
            Tensor hi = inputs.length > 2 ? inputs[2] : null;
            return new Tensor[] {clip(x, lo, hi, ctx)};
        };
    }

    private static Tensor clip(Tensor x, Tensor lo, Tensor hi, ExecContext ctx) {
        checkScalar(lo, "min");
        checkScalar(hi, "max");
        DType type = x.dtype();
        int n = x.size();
        Object out = switch (x.data()) {
            case float[] in -> {
                float l = lo == null ? Float.NEGATIVE_INFINITY : (float) lo.getDouble(0);
                float h = hi == null ? Float.POSITIVE_INFINITY : (float) hi.getDouble(0);
                float[] o = ctx.floats(n);
                ctx.parallel().forRange(n, Elementwise.MIN_CHUNK, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o[i] = Math.min(Math.max(in[i], l), h);
                    }
                });
                yield o;
            }
            case double[] in -> {
                double l = lo == null ? Double.NEGATIVE_INFINITY : lo.getDouble(0);
                double h = hi == null ? Double.POSITIVE_INFINITY : hi.getDouble(0);
                double[] o = new double[n];
                for (int i = 0; i < n; i++) {
                    o[i] = Math.min(Math.max(in[i], l), h);
                }
                yield o;
            }
            case long[] in -> {
                long l = lo == null ? IntegerTypes.min(type) : lo.getLong(0);
                long h = hi == null ? IntegerTypes.max(type) : hi.getLong(0);
                long[] o = new long[n];
                for (int i = 0; i < n; i++) {
                    long v = IntegerTypes.compare(type, in[i], l) < 0 ? l : in[i];
                    o[i] = IntegerTypes.compare(type, v, h) > 0 ? h : v;
                }
                yield o;
            }
            default -> throw new IllegalArgumentException("Clip takes numeric tensors, got " + type);
        };
        return Tensor.wrap(type, x.shape(), out);
    }

    private static void checkScalar(Tensor bound, String name) {
        if (bound != null && bound.size() != 1) {
            throw new IllegalArgumentException("Clip " + name + " must be a scalar, got shape "
                    + Arrays.toString(bound.shape()));
        }
    }
}
