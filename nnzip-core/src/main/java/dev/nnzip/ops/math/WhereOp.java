package dev.nnzip.ops.math;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/** Where (opsets 9, 16): {@code condition ? X : Y} elementwise, the three inputs broadcast together. */
final class WhereOp {
    private WhereOp() {
    }

    static OpKernel kernel() {
        return (inputs, ctx) -> {
            Tensor c = Elementwise.requireInput("Where", inputs, 0, "condition");
            Tensor x = Elementwise.requireInput("Where", inputs, 1, "X");
            Tensor y = Elementwise.requireInput("Where", inputs, 2, "Y");
            return new Tensor[] {where(c, x, y, ctx.parallel())};
        };
    }

    static Tensor where(Tensor condition, Tensor x, Tensor y, Parallel parallel) {
        if (condition.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("Where condition must be bool, got " + condition.dtype());
        }
        Elementwise.requireSameType("Where", x, y);
        Broadcast plan = Broadcast.of(condition.shape(), x.shape(), y.shape());
        boolean[] c = condition.booleans();
        int cs = plan.innerStride(0);
        int xs = plan.innerStride(1);
        int ys = plan.innerStride(2);
        int n = plan.size();
        Object out = switch (x.data()) {
            case float[] a -> {
                float[] b = y.floats();
                float[] o = new float[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ci = off[0], ai = off[1], bi = off[2]; i < len; i++, ci += cs, ai += xs, bi += ys) {
                        o[oi + i] = c[ci] ? a[ai] : b[bi];
                    }
                });
                yield o;
            }
            case double[] a -> {
                double[] b = y.doubles();
                double[] o = new double[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ci = off[0], ai = off[1], bi = off[2]; i < len; i++, ci += cs, ai += xs, bi += ys) {
                        o[oi + i] = c[ci] ? a[ai] : b[bi];
                    }
                });
                yield o;
            }
            case long[] a -> {
                long[] b = y.longs();
                long[] o = new long[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ci = off[0], ai = off[1], bi = off[2]; i < len; i++, ci += cs, ai += xs, bi += ys) {
                        o[oi + i] = c[ci] ? a[ai] : b[bi];
                    }
                });
                yield o;
            }
            case boolean[] a -> {
                boolean[] b = y.booleans();
                boolean[] o = new boolean[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ci = off[0], ai = off[1], bi = off[2]; i < len; i++, ci += cs, ai += xs, bi += ys) {
                        o[oi + i] = c[ci] ? a[ai] : b[bi];
                    }
                });
                yield o;
            }
            case String[] a -> {
                String[] b = y.strings();
                String[] o = new String[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ci = off[0], ai = off[1], bi = off[2]; i < len; i++, ci += cs, ai += xs, bi += ys) {
                        o[oi + i] = c[ci] ? a[ai] : b[bi];
                    }
                });
                yield o;
            }
            default -> throw new IllegalStateException("unexpected storage " + x.data().getClass());
        };
        return Tensor.wrap(x.dtype(), plan.shape(), out);
    }
}
