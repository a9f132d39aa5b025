package dev.nnzip.compress;

/**
 * What a bias's error bound is measured against ({@link CompressionPolicy#BIAS_BOUND_FRACTION} of the setting either
 * way).
 *
 * <p>{@link #OWN}: the spread (σ) of the bias values themselves, like a layer weight's bound. {@link #OUTPUT}: also the
 * spread of the output the bias is added to, where it is known (the channels of a convolution a BatchNormalization was
 * folded into), taking the finer of the two: a bias error shifts that output by the same amount at every position and
 * for every input, so its size only means something next to the output's spread (see
 * {@link CompressionPolicy#decide(dev.nnzip.graph.Graph, java.util.Set, java.util.Map)}). On the reference
 * MobileNetV2 it removes a third of the output divergence for 1 % more bytes; it did not pass the training-image
 * criterion that decides defaults, so it is an option (docs/BENCHMARKS.md, "Session 10").
 */
public enum BiasBounds {
    OWN,
    OUTPUT;

    /** Parses {@code own} or {@code output} (any case); the error lists the valid names. */
    public static BiasBounds parse(String text) {
        return OptionNames.parse(BiasBounds.class, "bias bounds", text);
    }

    @Override
    public String toString() {
        return OptionNames.of(this);
    }
}
