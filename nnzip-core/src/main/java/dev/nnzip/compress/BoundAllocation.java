package dev.nnzip.compress;


/**
 * How one error-bound setting is spread over the layers of a model.
 *
 * <p>{@link #UNIFORM}: every lossy layer weight gets the setting as is (each a fraction of its own range or σ).
 *
 * <p>{@link #SIZE}: the bound of a layer with {@code n} values is the setting times {@code sqrt(n / nMax)}, {@code nMax}
 * being the largest lossy layer of the model, so the largest layer gets the setting and smaller ones a finer grid. Why:
 * this is the classic optimal bit allocation (Gersho &amp; Gray, <i>Vector Quantization and Signal Compression</i>, 1992,
 * §8.3) under the model that each layer's quantization noise hurts the network through its noise-to-signal ratio at
 * the layer's output, {@code Δ²/(12σ²)} for a step Δ over weights of spread σ — a ratio that does not depend on how many
 * weights the layer has, while the bits it costs, {@code n·(h − log2 Δ)}, do. Minimising {@code Σ n_l·(h_l − log2 Δ_l)}
 * subject to {@code Σ Δ_l²/σ_l² = D} gives {@code Δ_l ∝ σ_l·sqrt(n_l)}: a small layer buys its precision cheaply, the big
 * ones, where the bytes are, get the coarse grid. With the bound relative to σ (the default) this is exactly that
 * allocation. Measured in docs/BENCHMARKS.md against the uniform spread.
 */
public enum BoundAllocation {
    UNIFORM,
    SIZE,
    /**
     * The bound of a layer with {@code n} values is the setting times {@code sqrt(n / N)}, {@code N} the number of lossy
     * layer weights of the whole model. Same Δ ∝ σ·sqrt(n) as {@link #SIZE}, but with the constant the derivation
     * actually gives: the layers' noise-to-signal ratios add up at the network's output, so for a total distortion
     * {@code D = Σ Δ_l²/(12σ_l²)} the Lagrange condition yields {@code Δ_l/σ_l = sqrt(12·D·n_l/N)}. One setting thus
     * means one total distortion whatever the model's depth: a model of 30 comparable layers (MobileNetV2) gets finer
     * grids than one whose weights sit in a single layer (an MLP), where {@link #SIZE}, normalised by the largest
     * layer alone, let the noise grow with the number of layers.
     */
    SHARE;

    /**
     * The factor on the setting for a layer of {@code values} values in a model whose largest lossy layer has
     * {@code largest} values and whose lossy layers have {@code total} values together.
     */
    public double factor(long values, long largest, long total) {
        return switch (this) {
            case UNIFORM -> 1.0;
            case SIZE -> largest > 0 && values < largest ? Math.sqrt((double) values / largest) : 1.0;
            case SHARE -> total > 0 && values < total ? Math.sqrt((double) values / total) : 1.0;
        };
    }

    /** Parses {@code uniform}, {@code size} or {@code share} (any case); the error lists the valid names. */
    public static BoundAllocation parse(String text) {
        return OptionNames.parse(BoundAllocation.class, "bound allocation", text);
    }

    @Override
    public String toString() {
        return OptionNames.of(this);
    }
}
