package dev.nnzip.ops.math;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * An elementwise binary operator with numpy broadcasting whose output has its inputs' type (Add, Mul, Pow, Max, And, ...),
 * defined once per element kind. A kind left null is one the ONNX spec does not allow for the op; meeting it is an
 * error naming the op and the type.
 *
 * <p>Float16 and bfloat16 compute in float32 and round once per element; integers compute in 64 bits and wrap to the
 * declared width, exactly what two's-complement arithmetic of that width gives.
 */
public final class BinaryOp {
    /** The integer version of an op for one declared type (division and ordering differ for UINT64). */
    @FunctionalInterface
    public interface IntegerFunction {
        LongBinaryOperator forType(DType type);
    }

    @FunctionalInterface
    public interface BooleanBinaryOperator {
        boolean apply(boolean a, boolean b);
    }

    private final String name;
    private final FloatSegmentKernel f32;
    private final DoubleBinaryOperator f64;
    private final IntegerFunction i64;
    private final BooleanBinaryOperator bool;

    private BinaryOp(String name, FloatSegmentKernel f32, DoubleBinaryOperator f64, IntegerFunction i64,
                     BooleanBinaryOperator bool) {
        this.name = name;
        this.f32 = f32;
        this.f64 = f64;
        this.i64 = i64;
        this.bool = bool;
    }

    /** A numeric op; {@code i64} may be null for float-only ops. */
    public static BinaryOp numeric(String name, FloatSegmentKernel f32, DoubleBinaryOperator f64, IntegerFunction i64) {
        return new BinaryOp(name, f32, f64, i64, null);
    }

    /** A logical op over bool tensors. */
    public static BinaryOp logical(String name, BooleanBinaryOperator f) {
        return new BinaryOp(name, null, null, null, f);
    }

    public String name() {
        return name;
    }

    /** {@code a op b} with multidirectional broadcasting; a and b must have the same type. */
    public Tensor apply(Tensor a, Tensor b, Parallel parallel) {
        return apply(a, b, parallel, false, false);
    }

    /** As {@link #apply(Tensor, Tensor, Parallel)}, possibly in place (see the plan form). */
    public Tensor apply(Tensor a, Tensor b, Parallel parallel, boolean overwriteA, boolean overwriteB) {
        Elementwise.requireSameType(name, a, b);
        return apply(a, b, Broadcast.of(a.shape(), b.shape()), parallel, overwriteA, overwriteB);
    }

    /** {@code a op b} over a prepared broadcast plan (inputs in plan order); the result has a's type. */
    public Tensor apply(Tensor a, Tensor b, Broadcast plan, Parallel parallel) {
        return apply(a, b, plan, parallel, false, false);
    }

    /**
     * Which operand {@link #apply(Tensor, Tensor, Broadcast, Parallel, boolean, boolean)} writes its result over: a
     * (0), else b (1), when the result is float, the operand may be overwritten and already has the result's shape;
     * -1 for a new array.
     */
    static int overwrittenInput(DType type, int[] a, int[] b, int[] result, boolean overwriteA, boolean overwriteB) {
        if (type.storage() != DType.Storage.FLOAT) {
            return -1;
        }
        return overwriteA && Arrays.equals(a, result) ? 0 : overwriteB && Arrays.equals(b, result) ? 1 : -1;
    }

    /**
     * As {@link #apply(Tensor, Tensor, Broadcast, Parallel)}; a float result may be written over a's (else b's) array
     * when that operand may be overwritten and already has the result's shape. Then every output element sits where
     * the operand's element it reads sits, so each is read before it is written.
     */
    public Tensor apply(Tensor a, Tensor b, Broadcast plan, Parallel parallel, boolean overwriteA, boolean overwriteB) {
        DType type = a.dtype();
        int as = plan.innerStride(0);
        int bs = plan.innerStride(1);
        int n = plan.size();
        Object out = switch (type.storage()) {
            case FLOAT -> {
                FloatSegmentKernel k = require(f32, type);
                float[] x = a.floats();
                float[] y = b.floats();
                int into = overwrittenInput(type, a.shape(), b.shape(), plan.shape(), overwriteA, overwriteB);
                float[] o = into == 0 ? x : into == 1 ? y : new float[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    k.apply(x, off[0], as, y, off[1], bs, o, oi, len);
                    HalfPrecision.roundInPlace(type, o, oi, oi + len);
                });
                yield o;
            }
            case DOUBLE -> {
                DoubleBinaryOperator f = require(f64, type);
                double[] x = a.doubles();
                double[] y = b.doubles();
                double[] o = new double[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        o[oi + i] = f.applyAsDouble(x[ai], y[bi]);
                    }
                });
                yield o;
            }
            case LONG -> {
                LongBinaryOperator f = require(i64, type).forType(type);
                long[] x = a.longs();
                long[] y = b.longs();
                long[] o = new long[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        o[oi + i] = f.applyAsLong(x[ai], y[bi]);
                    }
                    IntegerTypes.wrapInPlace(type, o, oi, oi + len);
                });
                yield o;
            }
            case BOOL -> {
                BooleanBinaryOperator f = require(bool, type);
                boolean[] x = a.booleans();
                boolean[] y = b.booleans();
                boolean[] o = new boolean[n];
                plan.forEachSegment(parallel, Elementwise.MIN_CHUNK, (off, oi, len) -> {
                    for (int i = 0, ai = off[0], bi = off[1]; i < len; i++, ai += as, bi += bs) {
                        o[oi + i] = f.apply(x[ai], y[bi]);
                    }
                });
                yield o;
            }
            case STRING -> throw unsupported(type);
        };
        return Tensor.wrap(type, plan.shape(), out);
    }

    private <T> T require(T f, DType type) {
        if (f == null) {
            throw unsupported(type);
        }
        return f;
    }

    private IllegalArgumentException unsupported(DType type) {
        StringBuilder kinds = new StringBuilder();
        if (f32 != null) {
            kinds.append("float, float16, bfloat16, ");
        }
        if (f64 != null) {
            kinds.append("double, ");
        }
        if (i64 != null) {
            kinds.append("integer types, ");
        }
        if (bool != null) {
            kinds.append("bool, ");
        }
        return new IllegalArgumentException(name + " does not support " + type + " tensors; it takes "
                + kinds.substring(0, Math.max(0, kinds.length() - 2)));
    }
}
