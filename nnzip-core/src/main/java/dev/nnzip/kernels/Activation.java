package dev.nnzip.kernels;

import java.util.Locale;

/**
 * An element-wise activation that a kernel applies to its output while the output is still in cache (the "fused bias +
 * activation" of DESIGN.md). Each kind computes exactly what the corresponding ONNX operator defines:
 *
 * <ul>
 *   <li>{@code RELU}: {@code max(0, x)} (ONNX Relu)</li>
 *   <li>{@code LEAKY_RELU}: {@code x >= 0 ? x : alpha * x} (ONNX LeakyRelu, default alpha 0.01)</li>
 *   <li>{@code CLIP}: {@code min(max(x, alpha), beta)} with alpha = min, beta = max (ONNX Clip)</li>
 *   <li>{@code SIGMOID}: {@code 1 / (1 + exp(-x))} (ONNX Sigmoid)</li>
 *   <li>{@code HARD_SWISH}: {@code x * max(0, min(1, x / 6 + 0.5))} (ONNX HardSwish, alpha 1/6, beta 0.5)</li>
 * </ul>
 *
 * @param kind  which function
 * @param alpha LeakyRelu's slope, or Clip's lower bound; unused otherwise
 * @param beta  Clip's upper bound; unused otherwise
 */
public record Activation(Kind kind, float alpha, float beta) {
    public enum Kind { NONE, RELU, LEAKY_RELU, CLIP, SIGMOID, HARD_SWISH }

    private static final Activation NONE = new Activation(Kind.NONE, 0, 0);
    private static final Activation RELU = new Activation(Kind.RELU, 0, 0);
    private static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0, 0);
    private static final Activation HARD_SWISH = new Activation(Kind.HARD_SWISH, 1f / 6, 0.5f);

    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("activation kind is null; expected one of "
                    + java.util.Arrays.toString(Kind.values()));
        }
    }

    public static Activation none() {
        return NONE;
    }

    public static Activation relu() {
        return RELU;
    }

    public static Activation leakyRelu(float alpha) {
        return new Activation(Kind.LEAKY_RELU, alpha, 0);
    }

    public static Activation clip(float min, float max) {
        return new Activation(Kind.CLIP, min, max);
    }

    public static Activation sigmoid() {
        return SIGMOID;
    }

    public static Activation hardSwish() {
        return HARD_SWISH;
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** The scalar definition; the vector kernels must agree with it within float rounding. */
    public float apply(float x) {
        return switch (kind) {
            case NONE -> x;
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x >= 0 ? x : alpha * x;
            case CLIP -> Math.min(Math.max(x, alpha), beta);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case HARD_SWISH -> x * Math.max(0f, Math.min(1f, alpha * x + beta));
        };
    }

    /** Applies the activation in place to {@code n} values from {@code off}. */
    public void applyInPlace(float[] x, int off, int n) {
        if (kind == Kind.NONE || n <= 0) {
            return;
        }
        if (KernelSupport.vectorEnabled()) {
            VectorActivation.apply(this, x, off, n);
        } else {
            applyScalar(x, off, n);
        }
    }

    void applyScalar(float[] x, int off, int n) {
        for (int i = off, end = off + n; i < end; i++) {
            x[i] = apply(x[i]);
        }
    }

    @Override
    public String toString() {
        String k = kind.name().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case LEAKY_RELU -> k + "(" + alpha + ")";
            case CLIP -> k + "(" + alpha + ", " + beta + ")";
            default -> k;
        };
    }
}
