package dev.nnzip.ops.math;

import dev.nnzip.ops.OpRegistry;

/**
 * Registers the operators of the {@code ops.math} family: elementwise arithmetic, comparison and logic with numpy
 * broadcasting, unary functions and activations, Clip, Where, Cast, IsNaN/IsInf and Mod.
 */
public final class MathOps {
    private MathOps() {
    }

    public static void register(OpRegistry r) {
        // binary arithmetic (numpy broadcasting; the pre-opset-7 broadcast/axis form is mapped onto it)
        r.register("Add", (node, opset) -> Arithmetic.binary(Arithmetic.ADD, node, opset));
        r.register("Sub", (node, opset) -> Arithmetic.binary(Arithmetic.SUB, node, opset));
        r.register("Mul", (node, opset) -> Arithmetic.binary(Arithmetic.MUL, node, opset));
        r.register("Div", (node, opset) -> Arithmetic.binary(Arithmetic.DIV, node, opset));
        r.register("Pow", PowOp::create);
        r.register("Mod", Arithmetic::mod);

        // variadic
        r.register("Sum", (node, opset) -> VariadicOp.fold(Arithmetic.ADD));
        r.register("Max", (node, opset) -> VariadicOp.fold(Arithmetic.MAX));
        r.register("Min", (node, opset) -> VariadicOp.fold(Arithmetic.MIN));
        r.register("Mean", (node, opset) -> VariadicOp.mean());

        // unary functions
        r.register("Abs", (node, opset) -> ElementaryFunctions.ABS.kernel());
        r.register("Neg", (node, opset) -> ElementaryFunctions.NEG.kernel());
        r.register("Sign", (node, opset) -> ElementaryFunctions.SIGN.kernel());
        r.register("Sqrt", (node, opset) -> ElementaryFunctions.SQRT.kernel());
        r.register("Exp", (node, opset) -> ElementaryFunctions.EXP.kernel());
        r.register("Log", (node, opset) -> ElementaryFunctions.LOG.kernel());
        r.register("Reciprocal", (node, opset) -> ElementaryFunctions.RECIPROCAL.kernel());
        r.register("Floor", (node, opset) -> ElementaryFunctions.FLOOR.kernel());
        r.register("Ceil", (node, opset) -> ElementaryFunctions.CEIL.kernel());
        r.register("Round", (node, opset) -> ElementaryFunctions.ROUND.kernel());
        r.register("Sin", (node, opset) -> ElementaryFunctions.SIN.kernel());
        r.register("Cos", (node, opset) -> ElementaryFunctions.COS.kernel());
        r.register("Tanh", (node, opset) -> ElementaryFunctions.TANH.kernel());
        r.register("Erf", (node, opset) -> ElementaryFunctions.ERF.kernel());

        // activations
        r.register("Relu", (node, opset) -> ElementaryFunctions.RELU.kernel());
        r.register("Sigmoid", (node, opset) -> ElementaryFunctions.SIGMOID.kernel());
        r.register("Softsign", (node, opset) -> ElementaryFunctions.SOFTSIGN.kernel());
        r.register("Softplus", (node, opset) -> ElementaryFunctions.SOFTPLUS.kernel());
        r.register("LeakyRelu", Activations::leakyRelu);
        r.register("Elu", Activations::elu);
        r.register("Selu", Activations::selu);
        r.register("Celu", Activations::celu);
        r.register("HardSigmoid", Activations::hardSigmoid);
        r.register("HardSwish", Activations::hardSwish);
        r.register("Gelu", Activations::gelu);
        r.register("PRelu", PReluOp::create);
        r.register("Clip", ClipOp::create);

        // comparison and logic
        r.register("Equal", (node, opset) -> ComparisonOp.EQUAL.kernel());
        r.register("Less", (node, opset) -> ComparisonOp.LESS.kernel());
        r.register("Greater", (node, opset) -> ComparisonOp.GREATER.kernel());
        r.register("LessOrEqual", (node, opset) -> ComparisonOp.LESS_OR_EQUAL.kernel());
        r.register("GreaterOrEqual", (node, opset) -> ComparisonOp.GREATER_OR_EQUAL.kernel());
        r.register("And", (node, opset) -> LogicalOps.binary(LogicalOps.AND));
        r.register("Or", (node, opset) -> LogicalOps.binary(LogicalOps.OR));
        r.register("Xor", (node, opset) -> LogicalOps.binary(LogicalOps.XOR));
        r.register("Not", (node, opset) -> LogicalOps.not());
        r.register("Where", (node, opset) -> WhereOp.kernel());

        // types
        r.register("Cast", CastOp::create);
        r.register("IsNaN", FloatClassOp::isNaN);
        r.register("IsInf", FloatClassOp::isInf);
    }
}
