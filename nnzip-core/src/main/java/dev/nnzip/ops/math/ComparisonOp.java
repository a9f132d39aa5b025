package dev.nnzip.ops.math;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.function.IntPredicate;

/**
 * Equal, Less, Greater, LessOrEqual, GreaterOrEqual: broadcast comparison producing a bool tensor. Floats compare as IEEE
 * does (anything with NaN is false, -0 == 0); integers by value, UINT64 unsigned. Equal also takes bool and (opset 19)
 * string tensors.
 */
final class ComparisonOp {
    @FunctionalInterface
    interface DoubleComparison {
        boolean test(double a, double b);
    }

    private final String name;
    private final DoubleComparison onFloats;
    private final IntPredicate onOrder;
    private final boolean equality;

    private ComparisonOp(String name, DoubleComparison onFloats, IntPredicate onOrder, boolean equality) {
        this.name = name;
        this.onFloats = onFloats;
        this.onOrder = onOrder;
        this.equality = equality;
    }

    static final ComparisonOp EQUAL = new ComparisonOp("Equal", (a, b) -> a == b, c -> c == 0, true);
    static final ComparisonOp LESS = new ComparisonOp("Less", (a, b) -> a < b, c -> c < 0, false);
    static final ComparisonOp GREATER = new ComparisonOp("Greater", (a, b) -> a > b, c -> c > 0, false);
    static final ComparisonOp LESS_OR_EQUAL = new ComparisonOp("LessOrEqual", (a, b) -> a <= b, c -> c <= 0, false);
    static final ComparisonOp GREATER_OR_EQUAL = new ComparisonOp("GreaterOrEqual", (a, b) -> a >= b, c -> c >= 0,
            false);

    OpKernel kernel() {
        return (inputs, ctx) -> {
            Tensor a = Elementwise.requireInput(name, inputs, 0, "A");
            Tensor b = Elementwise.requireInput(name, inputs, 1, "B");
            return new Tensor[] {apply(a, b, ctx.parallel())};
        };
    }

    Tensor apply(Tensor a, Tensor b, Parallel parallel) {
        Elementwise.requireSameType(name, a, b);
        Broadcast plan = Broadcast.of(a.shape(), b.shape());
        DType type = a.dtype();
        int as = plan.innerStride(0);
        int bs = plan.innerStride(1);
        boolean[] out = new boolean[plan.size()];
        Broadcast.Segment body = switch (a.data()) {
            case float[] x -> {
                float[] y = b.floats();
                yield (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        out[oi + i] = onFloats.test(x[ai], y[bi]);
                    }
                };
            }
            case double[] x -> {
                double[] y = b.doubles();
                yield (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        out[oi + i] = onFloats.test(x[ai], y[bi]);
                    }
                };
            }
            case long[] x -> {
                long[] y = b.longs();
                yield (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        out[oi + i] = onOrder.test(IntegerTypes.compare(type, x[ai], y[bi]));
                    }
                };
            }
            case boolean[] x when equality -> {
                boolean[] y = b.booleans();
                yield (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        out[oi + i] = x[ai] == y[bi];
                    }
                };
            }
            case String[] x when equality -> {
                String[] y = b.strings();
                yield (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        out[oi + i] = x[ai].equals(y[bi]);
                    }
                };
            }
            default -> throw new IllegalArgumentException(name + " does not compare " + type + " tensors; it takes "
                    + (equality ? "numeric, bool and string" : "numeric") + " tensors");
        };
        plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, body);
        return Tensor.of(out, plan.shape());
    }
}
