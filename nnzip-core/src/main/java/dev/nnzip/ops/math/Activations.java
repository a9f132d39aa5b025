package dev.nnzip.ops.math;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;

/**
 * Activation ops with attributes, each compiled into a {@link UnaryOp} once the attributes are read. Defaults are the
 * ONNX spec's.
 */
final class Activations {
    /** Selu constants of the spec (Klambauer et al. 2017), as float32 values. */
    private static final float SELU_ALPHA = 1.67326319217681884765625f;
    private static final float SELU_GAMMA = 1.05070102214813232421875f;

    private Activations() {
    }

    /** x if x >= 0 else alpha * x. */
    static OpKernel leakyRelu(Node node, int opset) {
        float alpha = node.attributes().getFloat("alpha", 0.01f);
        double a = alpha;
        return UnaryOp.floating("LeakyRelu", x -> x >= 0 ? x : alpha * x, x -> x >= 0 ? x : a * x).kernel();
    }

    /** x if x > 0 else alpha * (e^x - 1). */
    static OpKernel elu(Node node, int opset) {
        double alpha = node.attributes().getFloat("alpha", 1f);
        return UnaryOp.floating("Elu", x -> x > 0 ? x : alpha * Math.expm1(x)).kernel();
    }

    /** gamma * (x if x > 0 else alpha * e^x - alpha). */
    static OpKernel selu(Node node, int opset) {
        double alpha = node.attributes().getFloat("alpha", SELU_ALPHA);
        double gamma = node.attributes().getFloat("gamma", SELU_GAMMA);
        return UnaryOp.floating("Selu", x -> gamma * (x > 0 ? x : alpha * Math.expm1(x))).kernel();
    }

    /** max(0, x) + min(0, alpha * (e^(x/alpha) - 1)) (Barron 2017). */
    static OpKernel celu(Node node, int opset) {
        double alpha = node.attributes().getFloat("alpha", 1f);
        if (alpha == 0) {
            throw new IllegalArgumentException("Celu alpha must be non-zero (it divides x)");
        }
        return UnaryOp.floating("Celu", x -> Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha))).kernel();
    }

    /** max(0, min(1, alpha * x + beta)). */
    static OpKernel hardSigmoid(Node node, int opset) {
        Attributes a = node.attributes();
        float alpha = a.getFloat("alpha", 0.2f);
        float beta = a.getFloat("beta", 0.5f);
        return UnaryOp.floating("HardSigmoid", x -> Math.max(0f, Math.min(1f, alpha * x + beta)),
                x -> Math.max(0, Math.min(1, alpha * x + beta))).kernel();
    }

    /** x * max(0, min(1, x/6 + 1/2)) (Howard et al. 2019), i.e. x * HardSigmoid(x) with alpha = 1/6, beta = 1/2. */
    static OpKernel hardSwish(Node node, int opset) {
        float alpha = 1f / 6;
        return UnaryOp.floating("HardSwish", x -> x * Math.max(0f, Math.min(1f, alpha * x + 0.5f)),
                x -> x * Math.max(0, Math.min(1, x / 6 + 0.5))).kernel();
    }

    /**
     * Gelu (opset 20): {@code x/2 * (1 + erf(x/sqrt 2))}, or with approximate="tanh" the approximation
     * {@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))} (Hendrycks and Gimpel 2016).
     */
    static OpKernel gelu(Node node, int opset) {
        String approximate = node.attributes().getString("approximate", "none");
        double invSqrt2 = 1 / Math.sqrt(2);
        double sqrt2OverPi = Math.sqrt(2 / Math.PI);
        return switch (approximate) {
            case "none" -> UnaryOp.floating("Gelu",
                    x -> (float) (0.5 * x * (1 + Erf.erf((float) (x * invSqrt2)))),
                    x -> 0.5 * x * (1 + Erf.erf(x * invSqrt2)), Elementwise.MIN_CHUNK_TRANSCENDENTAL).kernel();
            case "tanh" -> UnaryOp.floating("Gelu",
                    x -> 0.5 * x * (1 + Math.tanh(sqrt2OverPi * (x + 0.044715 * x * x * x)))).kernel();
            default -> throw new UnsupportedOperatorException("Gelu approximate='" + approximate
                    + "' is not defined; expected 'none' or 'tanh'");
        };
    }
}
