package dev.nnzip.ops.math;

import dev.nnzip.tensor.DType;
import java.util.function.LongUnaryOperator;

/**
 * The attribute-free unary ops of ONNX: Abs, Neg, Sign, Sqrt, Exp, Log, Reciprocal, Floor, Ceil, Round, Sin, Cos, Tanh,
 * Erf, Sigmoid, Softsign, Softplus, Relu.
 */
final class ElementaryFunctions {
    private ElementaryFunctions() {
    }

    static final UnaryOp ABS = UnaryOp.numeric("Abs", FloatArrayMap.of(Math::abs), Math::abs,
            t -> t == DType.UINT64 ? LongUnaryOperator.identity() : Math::abs);

    static final UnaryOp NEG = UnaryOp.numeric("Neg", FloatArrayMap.of(x -> -x), x -> -x, t -> x -> -x);

    /** numpy.sign: -1, 0 or 1, NaN stays NaN (Math.signum agrees, and keeps the sign of zero). */
    static final UnaryOp SIGN = UnaryOp.numeric("Sign", FloatArrayMap.of(Math::signum), Math::signum,
            t -> t == DType.UINT64 ? x -> x == 0 ? 0 : 1 : Long::signum);

    /** Relu is max(0, x); Math.max keeps NaN as numpy.maximum does. Integer types are allowed from opset 14. */
    static final UnaryOp RELU = UnaryOp.numeric("Relu", ElementaryFunctions::relu, x -> Math.max(x, 0),
            t -> x -> Math.max(x, 0));

    private static void relu(float[] in, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    static final UnaryOp SQRT = UnaryOp.floating("Sqrt", x -> (float) Math.sqrt(x), Math::sqrt);
    static final UnaryOp EXP = UnaryOp.floating("Exp", Math::exp);
    static final UnaryOp LOG = UnaryOp.floating("Log", Math::log);
    static final UnaryOp RECIPROCAL = UnaryOp.floating("Reciprocal", x -> 1f / x, x -> 1 / x);
    static final UnaryOp FLOOR = UnaryOp.floating("Floor", x -> (float) Math.floor(x), Math::floor);
    static final UnaryOp CEIL = UnaryOp.floating("Ceil", x -> (float) Math.ceil(x), Math::ceil);
    /** Round half to even, as the spec (and numpy.round) require; Math.rint does exactly that. */
    static final UnaryOp ROUND = UnaryOp.floating("Round", x -> (float) Math.rint(x), Math::rint);
    static final UnaryOp SIN = UnaryOp.floating("Sin", Math::sin);
    static final UnaryOp COS = UnaryOp.floating("Cos", Math::cos);
    static final UnaryOp TANH = UnaryOp.floating("Tanh", Math::tanh);
    static final UnaryOp ERF = UnaryOp.floatingArrays("Erf", Erf.floatArrays(), Erf::erf,
            Elementwise.MIN_CHUNK_TRANSCENDENTAL);
    static final UnaryOp SIGMOID = UnaryOp.floating("Sigmoid", ElementaryFunctions::sigmoid);
    static final UnaryOp SOFTSIGN = UnaryOp.floating("Softsign", x -> x / (1 + Math.abs(x)), x -> x / (1 + Math.abs(x)));
    static final UnaryOp SOFTPLUS = UnaryOp.floating("Softplus", ElementaryFunctions::softplus);

    /** 1 / (1 + e^-x), evaluated so that the exponential never overflows. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large x, no loss for very negative x. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
