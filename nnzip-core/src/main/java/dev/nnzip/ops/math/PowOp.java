package dev.nnzip.ops.math;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/**
 * Pow (opsets 1-15): {@code X ^ Y} with broadcasting. From opset 12 the exponent may have a different type than the base;
 * the output has the base's type. Integer ^ integer is exact (wrapping) integer arithmetic; any pairing with a
 * floating-point operand computes in floating point and converts the result back to the base type.
 */
final class PowOp {
    private PowOp() {
    }

    /** Squaring is by far the most common exponent (variance, L2 norms): a multiply instead of a pow call. */
    private static final BinaryOp FLOAT_POW = BinaryOp.numeric("Pow",
            FloatKernels.of((a, b) -> b == 2f ? a * a : (float) Math.pow(a, b)), Math::pow, null);
    private static final BinaryOp INTEGER_POW = BinaryOp.numeric("Pow", null, null, t -> PowOp::integerPow);

    static OpKernel create(Node node, int opset) {
        boolean legacy = opset < 7 && node.attributes().getInt("broadcast", 0) != 0;
        long axis = node.attributes().getInt("axis", Long.MIN_VALUE);
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("Pow", inputs, 0, "X");
            Tensor y = Elementwise.requireInput("Pow", inputs, 1, "Y");
            if (legacy && axis != Long.MIN_VALUE) {
                y = y.reshape(Arithmetic.alignLegacy(x.rank(), y.shape(), axis));
            }
            return new Tensor[] {pow(x, y, ctx.parallel())};
        };
    }

    static Tensor pow(Tensor x, Tensor y, Parallel parallel) {
        DType base = x.dtype();
        if (base.isFloatingPoint()) {
            // the exponent is read at full float32/float64 precision, not rounded to a 16-bit base type first
            DType compute = base == DType.DOUBLE ? DType.DOUBLE : DType.FLOAT;
            Tensor e = y.dtype() == compute ? y : CastOp.cast(y, compute);
            return FLOAT_POW.apply(x, e, Broadcast.of(x.shape(), e.shape()), parallel);
        }
        if (base.isInteger() && y.dtype().isInteger()) {
            // both held in long[]; the exponent's own type only matters for its sign, read below as signed
            return INTEGER_POW.apply(x, y.withDType(base), parallel);
        }
        if (base.isInteger() && y.dtype().isFloatingPoint()) {
            Tensor r = FLOAT_POW.apply(CastOp.cast(x, DType.DOUBLE), CastOp.cast(y, DType.DOUBLE), parallel);
            return CastOp.cast(r, base);
        }
        throw new IllegalArgumentException("Pow is defined for numeric tensors, got " + base + " ^ " + y.dtype());
    }

    /**
     * Exponentiation by squaring, modulo 2^64 (the caller wraps to the type's width). numpy rejects negative integer
     * exponents; here they give the truncated value of 1 / x^|y|: 1 for x = 1, ±1 for x = -1, 0 otherwise.
     */
    static long integerPow(long x, long y) {
        if (y < 0) {
            if (x == 1) {
                return 1;
            }
            if (x == -1) {
                return (y & 1) == 0 ? 1 : -1;
            }
            return 0;
        }
        long result = 1;
        long b = x;
        for (long e = y; e != 0; e >>>= 1) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
        }
        return result;
    }
}
