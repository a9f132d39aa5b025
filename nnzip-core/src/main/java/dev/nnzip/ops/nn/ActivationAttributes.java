package dev.nnzip.ops.nn;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.kernels.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * How the nnzip-private fused operators ({@code dev.nnzip.FusedConv}, {@code FusedGemm}, {@code FusedMatMul}) carry
 * their activation: attribute {@code activation} names the ONNX operator that was fused ("Relu", "LeakyRelu", "Clip",
 * "Sigmoid", "HardSwish") and {@code activation_params} holds its parameters ([alpha] for LeakyRelu, [min, max] for
 * Clip). The same spelling as ONNX Runtime's FusedConv contrib operator.
 */
public final class ActivationAttributes {
    /** The domain of nnzip's private operators. */
    public static final String DOMAIN = "dev.nnzip";
    public static final String ACTIVATION = "activation";
    public static final String PARAMS = "activation_params";

    private ActivationAttributes() {
    }

    /** The activation a fused node carries ({@link Activation#none()} without the attribute). */
    public static Activation parse(Attributes a) {
        String name = a.getString(ACTIVATION, "");
        float[] p = a.getFloats(PARAMS, new float[0]);
        return switch (name) {
            case "" -> Activation.none();
            case "Relu" -> Activation.relu();
            case "Sigmoid" -> Activation.sigmoid();
            case "HardSwish" -> Activation.hardSwish();
            case "LeakyRelu" -> Activation.leakyRelu(param(p, 0, name, 0.01f));
            case "Clip" -> Activation.clip(param(p, 0, name, Float.NEGATIVE_INFINITY),
                    param(p, 1, name, Float.POSITIVE_INFINITY));
            default -> throw new IllegalArgumentException("activation '" + name
                    + "' is not one of Relu, LeakyRelu, Clip, Sigmoid, HardSwish");
        };
    }

    private static float param(float[] p, int i, String name, float dflt) {
        return i < p.length ? p[i] : dflt;
    }

    /** The attributes that make {@link #parse} return {@code act}; appended to the fused node's own attributes. */
    public static List<Attribute> toAttributes(Activation act) {
        List<Attribute> out = new ArrayList<>();
        String name = switch (act.kind()) {
            case NONE -> null;
            case RELU -> "Relu";
            case LEAKY_RELU -> "LeakyRelu";
            case CLIP -> "Clip";
            case SIGMOID -> "Sigmoid";
            case HARD_SWISH -> "HardSwish";
        };
        if (name == null) {
            return out;
        }
        out.add(new Attribute(ACTIVATION, Attribute.Type.STRING, name));
        switch (act.kind()) {
            case LEAKY_RELU -> out.add(new Attribute(PARAMS, Attribute.Type.FLOATS, new float[] {act.alpha()}));
            case CLIP -> out.add(new Attribute(PARAMS, Attribute.Type.FLOATS, new float[] {act.alpha(), act.beta()}));
            default -> {
            }
        }
        return out;
    }
}
