package dev.nnzip.runtime.shape;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import java.util.List;

/**
 * Shape rules of the element-wise operators: unary ops keep their input's type and shape; the arithmetic, comparison
 * and logical binaries, Where and the variadic Sum/Max/Min/Mean broadcast numpy-style (ONNX Broadcasting.md); Cast
 * changes the type only.
 */
final class ElementwiseRules {
    private ElementwiseRules() {
    }

    /** Unary ops whose output has the type and shape of input 0 (extra inputs are scalars or per-channel). */
    static final List<String> SAME_AS_INPUT = List.of("Abs", "Neg", "Sign", "Sqrt", "Exp", "Log", "Reciprocal",
            "Floor", "Ceil", "Round", "Sin", "Cos", "Tanh", "Erf", "Relu", "Sigmoid", "Softsign", "Softplus",
            "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish", "Gelu", "Clip", "Not", "Identity",
            "Softmax", "LogSoftmax", "LpNormalization", "InstanceNormalization", "CumSum", "Trilu");

    static void register(ShapeRules r) {
        for (String op : SAME_AS_INPUT) {
            r.register(op, n -> new TensorType[] {n.input(0).withoutValue()});
        }
        r.register("IsNaN", n -> new TensorType[] {TensorType.of(DType.BOOL, n.shape(0))});
        r.register("IsInf", n -> new TensorType[] {TensorType.of(DType.BOOL, n.shape(0))});
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Mod", "PRelu")) {
            r.register(op, n -> new TensorType[] {TensorType.of(n.dtype(0), binaryShape(n))});
        }
        for (String op : List.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor")) {
            r.register(op, n -> new TensorType[] {TensorType.of(DType.BOOL, binaryShape(n))});
        }
        for (String op : List.of("Sum", "Max", "Min", "Mean")) {
            r.register(op, ElementwiseRules::variadic);
        }
        r.register("Where", n -> new TensorType[] {TensorType.of(n.dtype(1),
                broadcast(n, broadcast(n, n.shape(0), n.shape(1)), n.shape(2)))});
        r.register("Cast", n -> new TensorType[] {TensorType.of(
                DType.fromOnnx((int) n.attributes().getInt("to", 0)), n.shape(0))});
        r.register("Dropout", ElementwiseRules::dropout);
    }

    /**
     * The broadcast shape of inputs 0 and 1. Before opset 7, {@code broadcast=1} lined B's dims up with A's at
     * {@code axis} (or at the end) and the output kept A's shape; PRelu's slope broadcasts onto X.
     */
    static int[] binaryShape(NodeShapes n) {
        if (n.opset() < 7 && n.attributes().getInt("broadcast", 0) != 0) {
            return n.shape(0);
        }
        return broadcast(n, n.shape(0), n.shape(1));
    }

    static int[] broadcast(NodeShapes n, int[] a, int[] b) {
        try {
            return Shapes.broadcast(a, b);
        } catch (IllegalArgumentException e) {
            throw n.mismatch(e.getMessage());
        }
    }

    private static TensorType[] variadic(NodeShapes n) {
        int[] shape = null;
        DType type = null;
        for (int i = 0; i < n.inputCount(); i++) {
            if (n.has(i)) {
                shape = shape == null ? n.shape(i) : broadcast(n, shape, n.shape(i));
                type = type == null ? n.dtype(i) : type;
            }
        }
        if (shape == null) {
            throw n.mismatch(n.node().opType() + " needs at least one input");
        }
        return new TensorType[] {TensorType.of(type, shape)};
    }

    /** Output 0 is the data; the optional mask is bool from opset 10 (the data's type before). */
    private static TensorType[] dropout(NodeShapes n) {
        TensorType x = n.input(0).withoutValue();
        if (!n.wantsOutput(1)) {
            return new TensorType[] {x};
        }
        return new TensorType[] {x, TensorType.of(n.opset() >= 10 ? DType.BOOL : x.dtype(), x.shape())};
    }
}
