package dev.nnzip.ops.math;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.InPlaceKernel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * An elementwise unary operator whose output has its input's type and shape (Abs, Exp, Relu, Elu, ...), defined once per
 * element kind. A kind left null is one the ONNX spec does not allow for the op.
 */
public final class UnaryOp {
    /** The integer version of an op for one declared type. */
    @FunctionalInterface
    public interface IntegerFunction {
        LongUnaryOperator forType(DType type);
    }

    private final String name;
    private final FloatArrayMap f32;
    private final DoubleUnaryOperator f64;
    private final IntegerFunction i64;
    private final int minChunk;

    private UnaryOp(String name, FloatArrayMap f32, DoubleUnaryOperator f64, IntegerFunction i64, int minChunk) {
        this.name = name;
        this.f32 = f32;
        this.f64 = f64;
        this.i64 = i64;
        this.minChunk = minChunk;
    }

    /** A float-only op whose float32 form is computed through the double function (exp, tanh, ...). */
    public static UnaryOp floating(String name, DoubleUnaryOperator f) {
        return new UnaryOp(name, FloatArrayMap.of(x -> (float) f.applyAsDouble(x)), f, null,
                Elementwise.MIN_CHUNK_TRANSCENDENTAL);
    }

    /** A float-only op with a dedicated float32 function (cheaper or more exact than going through double). */
    public static UnaryOp floating(String name, FloatUnaryOperator f32, DoubleUnaryOperator f64) {
        return floating(name, f32, f64, Elementwise.MIN_CHUNK);
    }

    /** As above, with the smallest number of elements worth a thread of their own. */
    public static UnaryOp floating(String name, FloatUnaryOperator f32, DoubleUnaryOperator f64, int minChunk) {
        return new UnaryOp(name, FloatArrayMap.of(f32), f64, null, minChunk);
    }

    /** A float-only op whose float32 form works on whole index ranges (e.g. a Vector API kernel). */
    public static UnaryOp floatingArrays(String name, FloatArrayMap f32, DoubleUnaryOperator f64, int minChunk) {
        return new UnaryOp(name, f32, f64, null, minChunk);
    }

    /** An op over floats and integers. */
    public static UnaryOp numeric(String name, FloatArrayMap f32, DoubleUnaryOperator f64, IntegerFunction i64) {
        return new UnaryOp(name, f32, f64, i64, Elementwise.MIN_CHUNK);
    }

    public String name() {
        return name;
    }

    /** This op as a kernel of one input; it computes over its input when allowed (every type, see {@link #apply}). */
    public OpKernel kernel() {
        return new InPlaceKernel() {
            @Override
            public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
                return new Tensor[] {apply(Elementwise.requireInput(name, inputs, 0, "X"), ctx.parallel(),
                        ctx.mayOverwrite(0))};
            }

            @Override
            public int overwrittenInput(DType[] types, int[][] shapes, int[] output, long overwritable) {
                return (overwritable & 1) != 0 ? 0 : -1;
            }
        };
    }

    public Tensor apply(Tensor x, Parallel parallel) {
        return apply(x, parallel, false);
    }

    /**
     * {@code op(x)}; with {@code inPlace} the result is written over x's array (allowed: every element is read before
     * the same element is written).
     */
    public Tensor apply(Tensor x, Parallel parallel, boolean inPlace) {
        DType type = x.dtype();
        int n = x.size();
        Object out = switch (type.storage()) {
            case FLOAT -> {
                if (f32 == null) {
                    throw unsupported(type);
                }
                float[] in = x.floats();
                float[] o = inPlace ? in : new float[n];
                parallel.forRange(n, minChunk, (from, to) -> {
                    f32.apply(in, o, from, to);
                    HalfPrecision.roundInPlace(type, o, from, to);
                });
                yield o;
            }
            case DOUBLE -> {
                if (f64 == null) {
                    throw unsupported(type);
                }
                double[] in = x.doubles();
                double[] o = inPlace ? in : new double[n];
                parallel.forRange(n, minChunk, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o[i] = f64.applyAsDouble(in[i]);
                    }
                });
                yield o;
            }
            case LONG -> {
                if (i64 == null) {
                    throw unsupported(type);
                }
                LongUnaryOperator f = i64.forType(type);
                long[] in = x.longs();
                long[] o = inPlace ? in : new long[n];
                parallel.forRange(n, minChunk, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o[i] = f.applyAsLong(in[i]);
                    }
                    IntegerTypes.wrapInPlace(type, o, from, to);
                });
                yield o;
            }
            case BOOL, STRING -> throw unsupported(type);
        };
        return Tensor.wrap(type, x.shape(), out);
    }

    private IllegalArgumentException unsupported(DType type) {
        return new IllegalArgumentException(name + " does not support " + type + " tensors; it takes "
                + (i64 == null ? "float, float16, bfloat16 and double" : "float, float16, bfloat16, double and integer")
                + " tensors");
    }
}
